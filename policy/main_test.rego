package main_test

import rego.v1

import data.main

policy_change(actions, before, after) := {"resource_changes": [{
	"address": "entra_sms_policy.this",
	"mode": "managed",
	"type": "entra_sms_policy",
	"change": {"actions": actions, "before": before, "after": after, "after_unknown": {}},
}]}

test_weakening_denied if {
	plan := policy_change(["update"], {"eidsca": {"EIDSCA.AS04": "met"}}, {"eidsca": {"EIDSCA.AS04": "not met"}})
	main.deny == {"entra_sms_policy.this weakens EIDSCA.AS04: met before this plan, not met after it"} with input as plan
}

test_strengthening_allowed if {
	plan := policy_change(["update"], {"eidsca": {"EIDSCA.AS04": "not met"}}, {"eidsca": {"EIDSCA.AS04": "met"}})
	count(main.deny) == 0 with input as plan
}

test_control_left_unmet_allowed if {
	plan := policy_change(["update"], {"eidsca": {"EIDSCA.AS04": "not met"}}, {"eidsca": {"EIDSCA.AS04": "not met"}})
	count(main.deny) == 0 with input as plan
}

test_new_policy_below_control_denied if {
	plan := policy_change(["create"], null, {"eidsca": {"EIDSCA.AS04": "not met"}})
	main.deny == {"entra_sms_policy.this weakens EIDSCA.AS04: not managed before this plan, not met after it"} with input as plan
}

test_hcp_terraform_input if {
	plan := {"plan": policy_change(["update"], {"eidsca": {"EIDSCA.AS04": "met"}}, {"eidsca": {"EIDSCA.AS04": "not met"}})}
	count(main.deny) == 1 with input as plan
}

test_policy_reset_warned if {
	plan := policy_change(["delete"], {"eidsca": {"EIDSCA.AS04": "met"}}, null)
	main.warn == {"entra_sms_policy.this resets the tenant's policy to Microsoft's defaults"} with input as plan
	count(main.deny) == 0 with input as plan
}

test_unknown_control_warned if {
	plan := {"resource_changes": [{
		"address": "entra_fido2_policy.this", "mode": "managed", "type": "entra_fido2_policy",
		"change": {
			"actions": ["update"], "before": {"eidsca": {"EIDSCA.AF03": "met"}}, "after": {"eidsca": {"EIDSCA.AF03": null}},
			"after_unknown": {"eidsca": {"EIDSCA.AF03": true}},
		},
	}]}
	main.warn == {"entra_fido2_policy.this: whether EIDSCA.AF03 is met is known only after the apply"} with input as plan
	count(main.deny) == 0 with input as plan
}

method_change(type, actions, after_unknown) := {"resource_changes": [{
	"address": sprintf("%s.alice", [type]),
	"mode": "managed",
	"type": type,
	"change": {
		"actions": actions, "before": {"id": "m1", "user_id": "alice@contoso.com"},
		"after": {"user_id": "alice@contoso.com"}, "after_unknown": after_unknown,
	},
}]}

test_destroyed_method_warned if {
	main.warn == {"entra_phone_method.alice revokes method m1 of user alice@contoso.com"} with input as method_change("entra_phone_method", ["delete"], {})
}

test_replaced_method_warned if {
	count(main.warn) == 1 with input as method_change("entra_temporary_access_pass", ["delete", "create"], {"id": true})
}

test_key_enrolled_again_warned if {
	main.warn == {"entra_security_key.alice enrols the key again and revokes registration m1 of user alice@contoso.com"} with input as method_change("entra_security_key", ["update"], {"id": true})
}

test_key_renamed_record_not_warned if {
	count(main.warn) == 0 with input as method_change("entra_security_key", ["update"], {})
}

test_other_providers_ignored if {
	plan := {"resource_changes": [{
		"address": "azuread_group.x", "mode": "managed", "type": "azuread_group",
		"change": {"actions": ["delete"], "before": {"eidsca": {"X": "met"}}, "after": {"eidsca": {"X": "not met"}}, "after_unknown": {}},
	}]}
	count(main.deny) == 0 with input as plan
	count(main.warn) == 0 with input as plan
}
