resource "random_id" "suffix" {
  byte_length = 4
}

locals {
  suffix = random_id.suffix.b64_url
}

module "example_users" {
  count = 2

  source        = "../modules/user"
  name          = "example-user-${count.index}-${local.suffix}"
  email_address = "example-user-${count.index}-${local.suffix}@example.co.th"
}

module "rota" {
  source = "../modules/two-level"

  name        = "Example-${local.suffix}"
  description = "an example - ${local.suffix}"

  rotation_turn_length_seconds = 604800
  user_ids                     = module.example_users.*.id
}
