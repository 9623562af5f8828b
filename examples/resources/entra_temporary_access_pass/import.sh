# <user_id>/<method_id>: the user's object id or UPN and the pass's id.
# The pass's value cannot be recovered: temporary_access_pass is null after import.
terraform import entra_temporary_access_pass.new_hire adele.vance@contoso.example/5d7c2f3e-0000-4000-8000-000000000001
