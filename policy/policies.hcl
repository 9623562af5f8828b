# HCP Terraform OPA policy set: this directory as a policy set's source. The
# bundle reads the plan as input.plan (HCP Terraform) or as the input
# (conftest, opa eval).
policy "entra_eidsca" {
  query             = "data.main.deny"
  enforcement_level = "mandatory"
}
