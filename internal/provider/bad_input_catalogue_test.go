package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entra-tf/terraform-provider-entra/internal/graph"
	"github.com/entra-tf/terraform-provider-entra/internal/softkey"
)

// TestAccBadInputCatalogue lists every invalid configuration the provider
// rejects, with the exact error each gets at plan, and checks that none of
// them sent the tenant a request that changes it.
func TestAccBadInputCatalogue(t *testing.T) {
	l := newKeyLab(t, true)
	l.addKey(t, "key1", softkey.SoftwareOptions{PIN: testPIN})
	enableTAPPolicy(t, l.admin, func(p *graph.TemporaryAccessPassPolicy) { p.IsUsableOnce = true })
	e := l.e
	// Adele has a mobile phone and an email method already.
	if _, err := l.admin.CreatePhoneMethod(context.Background(), adele.ID, graph.PhoneMethod{PhoneNumber: "+1 2065550100", PhoneType: "mobile"}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.admin.CreateEmailMethod(context.Background(), adele.ID, "adele@fabrikam.example"); err != nil {
		t.Fatal(err)
	}
	qrPolicy, err := l.admin.GetQRCodePinPolicy(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	qrPolicy.State, qrPolicy.PinLength = "enabled", 10
	if err := l.admin.UpdateQRCodePinPolicy(context.Background(), *qrPolicy, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := l.admin.CreateQRCodePinMethod(context.Background(), adele.ID, time.Now(), time.Now().Add(time.Hour), "1234567890"); err != nil {
		t.Fatal(err)
	}
	// Megan holds a hardware OATH token from the inventory.
	enableHardwareOathPolicy(t, l.admin)
	if _, err := l.admin.CreateOathToken(context.Background(), graph.OathToken{SerialNumber: "HELD0001", Manufacturer: "Contoso", Model: "T1",
		SecretKey: tokenSeed, TimeIntervalInSeconds: 30, AssignTo: &graph.IdentityRef{ID: megan.ID}}); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TF_VAR_seed", tokenSeed)
	before := mutatingRequests(e.Requests())

	tapPolicy := func(body string) string { return tapConfig(e, body) }
	fido2 := func(body string) string { return fido2Config(e, body) }
	pass := func(args string) string { return passConfig(e, args) }
	methodPolicy := func(typ, body string) string {
		return providerBlock(e) + fmt.Sprintf("resource %q \"this\" {\n%s\n}\n", typ, body)
	}
	profile := func(id string) string {
		return fmt.Sprintf(`%q = { name = "p", passkey_types = ["deviceBound"], attestation_enforcement = "registrationOnly" }`, id)
	}
	everyone := fmt.Sprintf(`include_targets = [{ id = "all_users", allowed_passkey_profiles = [%q] }]`, defaultProfile)
	method := func(cred string, settings ...setting) string {
		return l.methodConfig("x", megan.ID, "key", cred, settings...)
	}
	// providerWith is the emulator's provider block without a credential,
	// changed by settings.
	providerWith := func(settings ...setting) string {
		return providerBlock(e, append([]setting{unset("client_secret")}, settings...)...) + `data "entra_fido2_policy" "current" {}` + "\n"
	}
	policyName := "the tenant's Temporary Access Pass policy (entra_temporary_access_pass_policy)"
	phone := func(user, phoneType, number string, more ...string) string {
		return providerBlock(e) + fmt.Sprintf("resource \"entra_phone_method\" \"x\" {\n  user_id = %q\n  phone_type = %q\n  phone_number = %q\n%s\n}\n",
			user, phoneType, number, strings.Join(more, "\n"))
	}
	qr := func(user, args string) string {
		return providerBlock(e) + fmt.Sprintf("resource \"entra_qr_code_pin_method\" \"x\" {\n  user_id = %q\n  qr_code_image_path = \"badge.png\"\n%s\n}\n", user, args)
	}
	token := func(serial, seed, more string) string {
		return providerBlock(e) + fmt.Sprintf("variable \"seed\" {\n  type = string\n  ephemeral = true\n}\nresource \"entra_hardware_oath_token\" \"x\" {\n  serial_number = %q\n  manufacturer = \"Contoso\"\n  model = \"T1\"\n  secret_key_wo = %s\n  %s\n}\n", serial, seed, more)
	}
	email := func(user, address string) string {
		return providerBlock(e) + fmt.Sprintf("resource \"entra_email_method\" \"x\" {\n  user_id = %q\n  email_address = %q\n}\n", user, address)
	}

	cases := []struct {
		name, config, want string
	}{
		// Provider credentials.
		{"no credentials", providerWith(raw("use_cli", "false")), "no credentials are configured, and use_cli (ARM_USE_CLI) is false"},
		{"two certificates", providerWith(set("client_certificate", "x"), set("client_certificate_path", "x.pfx")),
			"both client_certificate and client_certificate_path are set (or ARM_CLIENT_CERTIFICATE and ARM_CLIENT_CERTIFICATE_PATH): set one"},
		{"certificate not base64", providerWith(set("client_certificate", "not base64!")), "client_certificate is not base64"},
		{"secret without ids", providerWith(set("client_secret", "x"), unset("tenant_id"), unset("client_id")),
			"a client secret (client_secret or client_secret_file_path, ARM_CLIENT_SECRET[_FILE_PATH]) needs tenant_id (ARM_TENANT_ID) and client_id (ARM_CLIENT_ID)"},
		{"OIDC without token", providerWith(raw("use_oidc", "true")), "use_oidc is set, but there is no token to use"},
		{"OIDC request URL without its token", providerWith(raw("use_oidc", "true"), set("oidc_request_url", "https://token.actions.example/idtoken")),
			"use_oidc: oidc_request_url is set but oidc_request_token is not"},
		{"two service connections", providerWith(raw("use_oidc", "true"), set("ado_pipeline_service_connection_id", "a"), set("oidc_azure_service_connection_id", "b")),
			"ado_pipeline_service_connection_id and oidc_azure_service_connection_id name different service connections"},
		{"MSI endpoint not a URL", providerWith(raw("use_msi", "true"), set("msi_endpoint", "imds")), "msi_endpoint (ARM_MSI_ENDPOINT) is not a URL"},
		{"wrong secret", providerWith(set("client_secret", "wrong")), "AADSTS7000215: Invalid client secret provided."},
		{"plain-HTTP endpoint", providerWith(set("client_secret", "x"), set("graph_endpoint", "http://127.0.0.1:1")),
			`graph endpoint "http://127.0.0.1:1" must be an https URL`},

		// entra_temporary_access_pass_policy: ranges and cross-field rules.
		{"TAP policy state", tapPolicy(`state = "on"`), `value must be one of: ["enabled" "disabled"], got: "on"`},
		{"TAP length too short", tapPolicy("state = \"enabled\"\ndefault_length = 7"), `default_length value must be between 8 and 48, got: 7`},
		{"TAP maximum too long", tapPolicy("state = \"enabled\"\nmaximum_lifetime_in_minutes = 43201"), `value must be between 10 and 43200, got: 43201`},
		{"TAP minimum too short", tapPolicy("state = \"enabled\"\nminimum_lifetime_in_minutes = 5"), `value must be between 10 and 43200, got: 5`},
		{"TAP minimum above maximum", tapPolicy("state = \"enabled\"\nminimum_lifetime_in_minutes = 600\nmaximum_lifetime_in_minutes = 120\ndefault_lifetime_in_minutes = 120"),
			`minimum_lifetime_in_minutes (600) must not exceed maximum_lifetime_in_minutes (120).`},
		{"TAP default outside range", tapPolicy("state = \"enabled\"\nminimum_lifetime_in_minutes = 120"),
			`default_lifetime_in_minutes (60) must be between minimum_lifetime_in_minutes (120) and maximum_lifetime_in_minutes (480).`},
		{"target id not a GUID", tapPolicy("state = \"enabled\"\ninclude_targets = [{ id = \"pilot-group\" }]"),
			`"pilot-group" is not a group or user object id: expected a GUID such as 00000000-0000-0000-0000-000000000000 or "all_users".`},
		{"target type", tapPolicy("state = \"enabled\"\ninclude_targets = [{ id = \"all_users\", target_type = \"device\" }]"), `value must be one of: ["group" "user"], got: "device"`},
		{"no include target", tapPolicy("state = \"enabled\"\ninclude_targets = []"), `include_targets set must contain at least 1 elements`},
		{"FIDO2 target without a passkey profile", fido2(`state = "enabled"` + "\n" + `include_targets = [{ id = "all_users" }]`),
			"Include target all_users names no allowed_passkey_profiles. Once a tenant uses passkey profiles, Graph refuses to write such a target"},
		{"exclusion of a group the tenant lacks", tapPolicy("state = \"enabled\"\nexclude_targets = [{ id = \"e3b5f1c2-9d8a-4f6b-8c7d-1a2b3c4d5e6e\" }]"),
			"exclude_targets excludes group e3b5f1c2-9d8a-4f6b-8c7d-1a2b3c4d5e6e, which the tenant does not hold: it excludes nobody"},

		// entra_sms_policy and entra_voice_policy.
		{"SMS policy state", methodPolicy("entra_sms_policy", `state = "off"`), `value must be one of: ["enabled" "disabled"], got: "off"`},
		{"SMS target id", methodPolicy("entra_sms_policy", "state = \"enabled\"\ninclude_targets = [{ id = \"sspr-pilot\" }]"),
			`"sspr-pilot" is not a group or user object id`},
		{"SMS without include target", methodPolicy("entra_sms_policy", "state = \"enabled\"\ninclude_targets = []"), `include_targets set must contain at least 1 elements`},
		{"voice target type", methodPolicy("entra_voice_policy", "state = \"disabled\"\ninclude_targets = [{ id = \"all_users\", target_type = \"device\" }]"),
			`value must be one of: ["group" "user"], got: "device"`},
		{"email external users", methodPolicy("entra_email_policy", "state = \"enabled\"\nallow_external_id_to_use_email_otp = \"yes\""),
			`value must be one of: ["default" "enabled" "disabled"], got: "yes"`},
		{"software OATH state", methodPolicy("entra_software_oath_policy", `state = "on"`), `value must be one of: ["enabled" "disabled"], got: "on"`},
		{"Authenticator mode", methodPolicy("entra_microsoft_authenticator_policy", "state = \"enabled\"\ninclude_targets = [{ id = \"all_users\", authentication_mode = \"sms\" }]"),
			`value must be one of: ["any" "push" "deviceBasedPush"], got: "sms"`},
		{"Authenticator feature state", methodPolicy("entra_microsoft_authenticator_policy", "state = \"enabled\"\ndisplay_app_information = { state = \"on\" }"),
			`value must be one of: ["default" "enabled" "disabled"], got: "on"`},
		{"Authenticator feature exclusion", methodPolicy("entra_microsoft_authenticator_policy", "state = \"enabled\"\ndisplay_location_information = { state = \"enabled\", exclude_target_id = \"all_users\" }"),
			`"all_users" is not an object id`},
		{"campaign snooze", methodPolicy("entra_authentication_methods_policy", "registration_campaign = { state = \"enabled\", snooze_duration_in_days = 15 }"),
			`snooze_duration_in_days value must be between 0 and 14, got: 15`},
		{"campaign method", methodPolicy("entra_authentication_methods_policy", "registration_campaign = { state = \"enabled\", include_targets = [{ id = \"all_users\", targeted_authentication_method = \"sms\" }] }"),
			`value must be one of: ["microsoftAuthenticator" "fido2"], got: "sms"`},
		{"voice reporting code", methodPolicy("entra_authentication_methods_policy", "report_suspicious_activity = { state = \"enabled\", voice_reporting_code = 10 }"),
			`voice_reporting_code value must be between 0 and 9, got: 10`},
		{"migration state", methodPolicy("entra_authentication_methods_policy", `policy_migration_state = "done"`),
			`value must be one of: ["preMigration" "migrationInProgress" "migrationComplete"], got: "done"`},
		{"strength combination", methodPolicy("entra_authentication_strength_policy", "display_name = \"x\"\nallowed_combinations = [\"password,magicLink\"]"),
			`"magicLink" in "password,magicLink" is not an authentication method`},
		{"strength FIDO2 models without fido2", methodPolicy("entra_authentication_strength_policy",
			"display_name = \"x\"\nallowed_combinations = [\"windowsHelloForBusiness\"]\nfido2_allowed_aaguids = [\"cb69481e-8ff7-4039-93ec-0a2729a154a8\"]"),
			"fido2_allowed_aaguids narrows the fido2 combination, which allowed_combinations does not list"},
		{"strength model not a GUID", methodPolicy("entra_authentication_strength_policy", "display_name = \"x\"\nallowed_combinations = [\"fido2\"]\nfido2_allowed_aaguids = [\"yubikey\"]"),
			`"yubikey" is not an AAGUID`},
		{"QR code PIN length", methodPolicy("entra_qr_code_pin_policy", "state = \"enabled\"\npin_length = 6"), `pin_length value must be between 8 and 20, got: 6`},
		{"QR code lifetime", methodPolicy("entra_qr_code_pin_policy", "state = \"enabled\"\nstandard_qr_code_lifetime_in_days = 400"),
			`standard_qr_code_lifetime_in_days value must be between 1 and 395, got: 400`},
		{"hardware OATH target", methodPolicy("entra_hardware_oath_policy", "state = \"enabled\"\ninclude_targets = [{ id = \"tokens\" }]"),
			`"tokens" is not a group or user object id`},
		{"external method discovery URL", methodPolicy("entra_external_authentication_method",
			"display_name = \"x\"\napp_id = \"33333333-3333-3333-3333-333333333333\"\nclient_id = \"c\"\ndiscovery_url = \"http://idp.example\"\nstate = \"enabled\""),
			`must be an https URL`},
		{"external method app id", methodPolicy("entra_external_authentication_method",
			"display_name = \"x\"\napp_id = \"duo\"\nclient_id = \"c\"\ndiscovery_url = \"https://idp.example\"\nstate = \"enabled\""),
			`"duo" is not an application id`},
		{"certificate binding affinity", methodPolicy("entra_x509_certificate_policy",
			"state = \"enabled\"\ncertificate_user_bindings = [{ certificate_field = \"PrincipalName\", user_property = \"userPrincipalName\", priority = 1, trust_affinity_level = \"high\" }]"),
			`A PrincipalName binding has low trust affinity, not high`},
		{"certificate binding priorities", methodPolicy("entra_x509_certificate_policy",
			"state = \"enabled\"\ncertificate_user_bindings = [{ certificate_field = \"PrincipalName\", user_property = \"userPrincipalName\", priority = 1 }, { certificate_field = \"RFC822Name\", user_property = \"userPrincipalName\", priority = 1 }]"),
			`Two certificate_user_bindings have priority 1`},
		{"certificate field", methodPolicy("entra_x509_certificate_policy",
			"state = \"enabled\"\ncertificate_user_bindings = [{ certificate_field = \"Email\", user_property = \"userPrincipalName\", priority = 1 }]"),
			`got: "Email"`},
		{"voice office phones", methodPolicy("entra_voice_policy", "state = \"disabled\"\nis_office_phone_allowed = \"yes\""), `a bool is required`},

		// entra_fido2_policy: passkey profiles and their references.
		{"unknown default profile", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = { %s }\ndefault_passkey_profile = %q\n%s", profile(defaultProfile), keysProfile, everyone)),
			fmt.Sprintf("default_passkey_profile %s is not one of the passkey_profiles (%s).", keysProfile, defaultProfile)},
		{"unknown allowed profile", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = { %s }\ninclude_targets = [{ id = \"all_users\", allowed_passkey_profiles = [%q] }]", profile(defaultProfile), keysProfile)),
			fmt.Sprintf("Include target all_users allows passkey profile %s, which is not one of the passkey_profiles (%s).", keysProfile, defaultProfile)},
		{"duplicate profile ids", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = {\n%s\n%s\n%s\n}\n%s", profile(defaultProfile),
			strings.Replace(profile(keysProfile), `"p"`, `"q"`, 1), strings.Replace(profile(strings.ToUpper(keysProfile)), `"p"`, `"r"`, 1), everyone)),
			fmt.Sprintf("The passkey profile id %s is used by more than one profile", keysProfile)},
		{"duplicate profile names", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = {\n%s\n%s\n}\n%s", profile(defaultProfile), profile(keysProfile), everyone)),
			`The name "p" is used by more than one passkey profile`},
		{"malformed AAGUID", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = { %q = { name = \"p\", passkey_types = [\"deviceBound\"], attestation_enforcement = \"registrationOnly\",\n  key_restrictions = { enforcement_type = \"allow\", aaguids = [\"yubikey-5\"] } } }\n%s", defaultProfile, everyone)),
			`"yubikey-5" is not an AAGUID: expected a GUID`},
		{"passkey type", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = { %q = { name = \"p\", passkey_types = [\"cloud\"], attestation_enforcement = \"registrationOnly\" } }\n%s", defaultProfile, everyone)),
			`value must be one of: ["deviceBound" "synced"], got: "cloud"`},
		{"attestation enforcement", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = { %q = { name = \"p\", passkey_types = [\"deviceBound\"], attestation_enforcement = \"always\" } }\n%s", defaultProfile, everyone)),
			`value must be one of: ["disabled" "registrationOnly"], got: "always"`},
		{"profile id not a GUID", fido2(fmt.Sprintf("state = \"enabled\"\npasskey_profiles = { \"profile-1\" = { name = \"p\", passkey_types = [\"deviceBound\"], attestation_enforcement = \"disabled\" } }\n%s", everyone)),
			`"profile-1" is not a passkey profile id`},
		{"legacy with profiles", fido2(fmt.Sprintf("state = \"enabled\"\nis_attestation_enforced = true\npasskey_profiles = { %s }\n%s", profile(defaultProfile), everyone)),
			`Attribute "passkey_profiles" cannot be specified when "is_attestation_enforced" is specified`},
		{"empty allowed profiles", fido2("state = \"enabled\"\ninclude_targets = [{ id = \"all_users\", allowed_passkey_profiles = [] }]"), `allowed_passkey_profiles set must contain at least 1 elements`},

		// A user's phone and email methods, and the methods users register.
		{"phone number without its space", phone(megan.ID, "mobile", "+12065550100"), `"+12065550100" is not a phone number as Graph takes it`},
		{"phone extension spelled out", phone(megan.ID, "office", "+1 2065550100 ext 5"), `optionally followed by "x{extension}", such as "+1 2065550100" or "+1 2065550100x123"`},
		{"phone type", phone(megan.ID, "landline", "+1 2065550100"), `value must be one of: ["mobile" "alternateMobile" "office"], got: "landline"`},
		{"SMS sign-in on an office phone", phone(megan.ID, "office", "+1 2065550100", "sms_sign_in_enabled = true"),
			"sms_sign_in_enabled is set on a phone of type office: only a mobile phone can be used for SMS sign-in."},
		{"second mobile phone", phone(adele.UserPrincipalName, "mobile", "+1 4255550100"),
			fmt.Sprintf(`%s already has a mobile phone (+1 2065550100), and a user has one phone of each type. Manage it by importing it: import { to = <this resource>, id = "%s/mobile" }`,
				adele.UserPrincipalName, adele.UserPrincipalName)},
		{"phone for an unknown user", phone("nobody@contoso.example", "mobile", "+1 2065550100"), `No user "nobody@contoso.example" exists in the tenant`},
		{"email address", email(megan.ID, "megan at fabrikam"), `"megan at fabrikam" is not a plain email address such as adele@fabrikam.example`},
		{"email without a domain", email(megan.ID, "megan@localhost"), `"megan@localhost" has no domain such as fabrikam.example after the @`},
		{"second email method", email(adele.ID, "adele.vance@fabrikam.example"), adele.ID + " already has an email method (adele@fabrikam.example), and a user has one."},
		{"create an Authenticator registration", providerBlock(e) + fmt.Sprintf(`resource "entra_microsoft_authenticator_method" "x" { user_id = %q }`, megan.ID),
			"Graph cannot create a Microsoft Authenticator registration: the user adds their account in the Microsoft Authenticator app. Import an existing one instead"},
		{"create a Windows Hello registration", providerBlock(e) + fmt.Sprintf(`resource "entra_windows_hello_for_business_method" "x" { user_id = %q }`, megan.ID),
			"Graph cannot create a Windows Hello for Business registration: the user sets up Windows Hello for Business on a Windows device."},
		{"QR PIN not digits", qr(megan.ID, `pin_wo = "1234-5678"`), "the value must be 8 to 20 digits (it has 9 characters; the value itself is not shown)"},
		{"QR PIN shorter than the policy asks", qr(megan.ID, `pin_wo = "123456789"`), "pin_wo has 9 digits, but the tenant's QR code PIN policy (entra_qr_code_pin_policy) sets pin_length = 10."},
		{"QR code beyond 395 days", qr(megan.ID, `pin_wo = "1234567890"`+"\n"+`start_date_time = "2027-01-01T00:00:00Z"`+"\n"+`expire_date_time = "2028-03-01T00:00:00Z"`),
			"expire_date_time is 425 days after start_date_time; Graph allows a standard QR code at most 395 days."},
		{"QR code expiring before it starts", qr(megan.ID, `pin_wo = "1234567890"`+"\n"+`start_date_time = "2027-01-01T00:00:00Z"`+"\n"+`expire_date_time = "2026-12-01T00:00:00Z"`),
			"expire_date_time 2026-12-01T00:00:00Z is not after start_date_time 2027-01-01T00:00:00Z."},
		{"second QR code PIN method", qr(adele.ID, `pin_wo = "1234567890"`), adele.ID + " already has a QR code PIN method"},
		{"QR code PIN method for an unknown user", qr("nobody@contoso.example", `pin_wo = "1234567890"`), `No user "nobody@contoso.example" exists in the tenant`},
		{"token assigned to another user", token("HELD0001", `var.seed`, fmt.Sprintf("user_id = %q", adele.ID)),
			"assigned, assigned to Megan Bowen (" + megan.ID + ")). It is not this configuration's to give away: import it"},
		{"token seed in hex", token("NEW0001", `"3132333435363738393031323334353637383930"`, ""),
			"The secret is not base32 (the letters A to Z and the digits 2 to 7); the value itself is not shown. It looks like hexadecimal: convert the vendor's hex seed to base32 first."},
		{"token time step", token("NEW0001", `var.seed`, "time_interval_in_seconds = 45"), `time_interval_in_seconds value must be one of: ["30" "60"], got: 45`},
		{"token hash function", token("NEW0001", `var.seed`, `hash_function = "sha512"`), `value must be one of: ["hmacsha1" "hmacsha256"], got: "sha512"`},
		{"token for an unknown user", token("NEW0001", `var.seed`, `user_id = "nobody@contoso.example"`), `No user "nobody@contoso.example" exists in the tenant`},
		{"method type filter", providerBlock(e) + fmt.Sprintf(`data "entra_user_authentication_methods" "x" {
  user_id = %q
  types   = ["sms"]
}`, megan.ID), `got: "sms"`},
		{"method age filter", providerBlock(e) + fmt.Sprintf(`data "entra_user_authentication_methods" "x" {
  user_id        = %q
  created_before = "last week"
}`, megan.ID), `"last week" is not an RFC 3339 timestamp`},

		// entra_temporary_access_pass: against the policy, and its own rules.
		{"pass shorter than the policy allows", pass("lifetime_in_minutes = 30"), "lifetime_in_minutes = 30, but " + policyName + " allows 60 to 480 minutes."},
		{"pass longer than the policy allows", pass("lifetime_in_minutes = 600"), "lifetime_in_minutes = 600, but " + policyName + " allows 60 to 480 minutes."},
		{"multi-use under one-time policy", pass("is_usable_once = false"), "is_usable_once = false, but " + policyName + " sets is_usable_once = true: every pass must be one-time."},
		{"pass lifetime out of range", pass("lifetime_in_minutes = 5"), "lifetime_in_minutes value must be between 10 and 43200, got: 5"},
		{"pass start not a timestamp", pass(`start_date_time = "tomorrow"`), `"tomorrow" is not an RFC 3339 timestamp such as 2030-01-01T08:00:00Z`},
		{"pass for an unknown user", providerBlock(e) + `resource "entra_temporary_access_pass" "x" { user_id = "nobody@contoso.example" }`,
			`No user "nobody@contoso.example" exists in the tenant`},

		// The ephemeral pass: issued only during apply.
		{"ephemeral pass issued at plan", providerBlock(e) + fmt.Sprintf(`ephemeral "entra_temporary_access_pass" "x" {
  user_id = %q
  issue   = true
}`, megan.ID), "issue is true while Terraform validates the configuration, so this ephemeral resource would issue a Temporary Access Pass every time someone runs terraform plan"},
		{"ephemeral pass without issue", providerBlock(e) + fmt.Sprintf(`ephemeral "entra_temporary_access_pass" "x" { user_id = %q }`, megan.ID),
			`The argument "issue" is required, but no definition was found.`},

		{"random PIN too short", providerBlock(e) + `ephemeral "entra_security_key_pin" "x" { length = 5 }`,
			"length value must be between 6 and 32, got: 5"},

		// entra_security_key and entra_fido2_method.
		{"key in a national cloud", l.config(adele.ID, "", set("graph_endpoint", "https://graph.microsoft.us")),
			"Microsoft Graph registers FIDO2 keys on a user's behalf in its global service only, and graph_endpoint points at the US Government L4 national cloud."},
		{"key in a national cloud, by environment", l.config(adele.ID, "", unset("graph_endpoint"), unset("authority_host"), set("environment", "usgovernmentl5")),
			"graph_endpoint points at the US Government L5 (DOD) national cloud"},
		{"unknown environment", providerWith(set("client_secret", "x"), set("environment", "mars")),
			`value must be one of: ["china" "dod" "global" "public" "usgovernment" "usgovernmentl4" "usgovernmentl5"], got: "mars"`},
		{"registration in a national cloud", method("", set("graph_endpoint", "https://microsoftgraph.chinacloudapi.cn")),
			"points at the China (operated by 21Vianet) national cloud"},
		{"PIN retry floor", l.config(adele.ID, "", raw("security_key_min_pin_retries", "8")),
			"security_key_min_pin_retries value must be between 2 and 7, got: 8"},
		{"key for an unknown user", l.config("nobody@contoso.example", ""), `No user "nobody@contoso.example" exists in the tenant`},
		{"display name too long", strings.Replace(l.config(adele.ID, ""), `"Adele's key"`, `"Adele's security key, asset 4711"`, 1), "display_name string length must be between 1 and 30"},
		{"touch timeout", l.config(adele.ID, `  touch_timeout = "soon"`), `"soon" is not a positive duration such as 90s or 2m`},
		{"touch timeout beyond the challenge", l.config(adele.ID, `  touch_timeout = "10m"`), `"10m" is longer than 5m0s: Graph's registration challenge expires 5 minutes after it is issued`},
		{"device AAGUID", l.config(adele.ID, `  device_aaguid = "yubikey"`), `"yubikey" is not an AAGUID`},
		{"credential not JSON", method("not json"), "public_key_credential is not JSON"},
		{"credential not base64url", method(`{"id":"AAAA","response":{"clientDataJSON":"e30","attestationObject":"%%%"}}`), "public_key_credential response.attestationObject is not base64url"},
		{"client data incomplete", method(`{"id":"AAAA","response":{"clientDataJSON":"e30","attestationObject":"aGVsbG8"}}`),
			"public_key_credential response.clientDataJSON: client data lacks type, challenge or origin"},
		{"attestation not CBOR", method(`{"id":"AAAA","response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIiwiY2hhbGxlbmdlIjoiYSIsIm9yaWdpbiI6Imh0dHBzOi8veCJ9","attestationObject":"aGVsbG8"}}`),
			"public_key_credential response.attestationObject: attestation object is not valid CBOR"},
		{"credential without id", method(`{"response":{}}`), "public_key_credential lacks id"},
		{"nothing to register", method(""), "public_key_credential is needed to create a registration."},
		// One user's one-of-a-kind method from two resources.
		{"two email methods for one user", email(megan.ID, "megan@fabrikam.example") +
			fmt.Sprintf("resource \"entra_email_method\" \"y\" {\n  user_id = %q\n  email_address = \"megan@northwind.example\"\n}\n", megan.ID),
			"Another resource of this configuration already manages the email method of " + megan.ID},
		// An issue not known while validating: a variable, whatever its value.
		{"ephemeral pass issued by a variable", providerBlock(e) + fmt.Sprintf("variable \"go\" {\n  default = false\n}\n"+
			"ephemeral \"entra_temporary_access_pass\" \"x\" {\n  user_id = %q\n  issue = var.go\n}\n", megan.ID),
			"issue is not known while Terraform validates the configuration (a variable or another object's value)"},
		// A provider argument known only after apply.
		{"provider argument known only at apply", "resource \"terraform_data\" \"t\" {\n  input = \"x\"\n}\n" +
			"provider \"entra\" {\n  tenant_id = terraform_data.t.output\n}\n" + `data "entra_fido2_policy" "current" {}` + "\n",
			"tenant_id of the entra provider depend on values known only after apply"},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: c.config, PlanOnly: true, ExpectError: errorLike(c.want)})
	}
	// Malformed import ids.
	for _, c := range []struct{ config, res, id, want string }{
		{tapPolicy(`state = "enabled"`), tapRes, "Fido2", `import it with the id "TemporaryAccessPass", not "Fido2".`},
		{fido2(`state = "enabled"` + "\n" + everyone), fido2Res, "Sms", `import it with the id "Fido2", not "Sms".`},
		{pass(""), passRes, adele.ID, fmt.Sprintf("Import a Temporary Access Pass with <user_id>/<method_id> (the user's object id or UPN, and the method's id), not %q.", adele.ID)},
		{l.config(adele.ID, ""), keyRes, adele.ID + "/", fmt.Sprintf("Import a FIDO2 registration with <user_id>/<method_id> (the user's object id or UPN, and the method's id), not %q.", adele.ID+"/")},
		{token("NEW0001", `var.seed`, ""), "entra_hardware_oath_token.x", "NOSUCH42",
			`No hardware OATH token with serial number "NOSUCH42" is in the tenant's inventory. Import a token by its serial number or its id.`},
		{methodPolicy("entra_authentication_strength_policy", `display_name = "k"`+"\n"+`allowed_combinations = ["fido2"]`),
			"entra_authentication_strength_policy.this", "../../authenticationMethodsPolicy",
			`An authentication strength is imported by its id, a GUID such as 00000000-0000-0000-0000-000000000000 (see the entra_authentication_strengths data source), not "../../authenticationMethodsPolicy".`},
		{phone(megan.ID, "mobile", "+1 2065550100"), "entra_phone_method.x", megan.ID + "/landline",
			fmt.Sprintf("Import a phone with <user_id>/<phone type> (mobile, alternateMobile or office) or <user_id>/<method id>, not %q.", megan.ID+"/landline")},
	} {
		steps = append(steps, resource.TestStep{Config: c.config, ResourceName: c.res, ImportState: true, ImportStateId: c.id, ExpectError: errorLike(c.want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testProviders, Steps: steps})

	if after := mutatingRequests(e.Requests()); after != before {
		t.Errorf("invalid configurations sent %d requests that change the tenant", after-before)
	}
}
