# The phones of two named users.
list "entra_phone_method" "executives" {
  provider = entra

  config {
    user_ids = ["adele.vance@contoso.example", "megan.bowen@contoso.example"]
  }
}
