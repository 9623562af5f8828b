# Every email method, reading each user's methods: for a tenant without the
# licence the registration report needs.
list "entra_email_method" "all" {
  provider = entra
  limit    = 5000

  config {
    source = "users"
  }
}
