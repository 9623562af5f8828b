# The policy is a tenant-wide singleton: its id is always Voice.
terraform import entra_voice_policy.this Voice
