# Gates a Terraform plan of the entra provider, read as JSON
# (terraform show -json), as conftest and HCP Terraform's OPA policy sets
# read it:
#   deny: a plan that weakens an EIDSCA control, that is an entra_*_policy
#         whose eidsca attribute goes from "met" (or absent) to "not met";
#   warn: each change that revokes a user's sign-in method (a destroyed
#         method, pass or key, a key enrolled again), each policy reset to
#         Microsoft's defaults by a destroy, and each control the plan
#         cannot tell before the apply.
package main

import rego.v1

# conftest passes the plan as the input; HCP Terraform nests it as input.plan.
plan := input.plan if {
	is_object(input.plan)
} else := input

# The resource types whose destruction takes a method from a user.
user_method_types := {
	"entra_email_method",
	"entra_external_authentication_method",
	"entra_fido2_method",
	"entra_hardware_oath_token",
	"entra_microsoft_authenticator_method",
	"entra_phone_method",
	"entra_platform_credential_method",
	"entra_qr_code_pin_method",
	"entra_security_key",
	"entra_software_oath_method",
	"entra_temporary_access_pass",
	"entra_windows_hello_for_business_method",
}

entra_changes contains rc if {
	some rc in plan.resource_changes
	startswith(rc.type, "entra_")
	rc.mode == "managed"
}

# controls_after is a policy's planned controls; those still unknown are left
# out (see unknown_controls).
controls_after(rc) := object.get(rc.change, ["after", "eidsca"], {})

controls_before(rc) := object.get(rc.change, ["before", "eidsca"], {})

deny contains msg if {
	some rc in entra_changes
	some id, now in controls_after(rc)
	now == "not met"
	was := object.get(controls_before(rc), id, "absent")
	was != "not met"
	msg := sprintf("%s weakens %s: %s before this plan, not met after it", [rc.address, id, was_text(was)])
}

was_text("met") := "met"

was_text("absent") := "not managed"

warn contains msg if {
	some rc in entra_changes
	rc.type in user_method_types
	"delete" in rc.change.actions
	msg := sprintf("%s revokes %s of user %s", [rc.address, method_of(rc), object.get(rc.change.before, "user_id", "(unknown)")])
}

# entra_security_key enrols again in place (a new registration id): the old
# registration is revoked.
warn contains msg if {
	some rc in entra_changes
	rc.type == "entra_security_key"
	rc.change.actions == ["update"]
	rc.change.after_unknown.id == true
	msg := sprintf("%s enrols the key again and revokes registration %s of user %s", [rc.address, rc.change.before.id, rc.change.before.user_id])
}

warn contains msg if {
	some rc in entra_changes
	endswith(rc.type, "_policy")
	rc.change.actions == ["delete"]
	msg := sprintf("%s resets the tenant's policy to Microsoft's defaults", [rc.address])
}

warn contains msg if {
	some rc in entra_changes
	some id, unknown in object.get(rc.change, ["after_unknown", "eidsca"], {})
	unknown == true
	msg := sprintf("%s: whether %s is met is known only after the apply", [rc.address, id])
}

method_of(rc) := sprintf("method %s", [rc.change.before.id]) if {
	is_string(rc.change.before.id)
} else := "a method"
