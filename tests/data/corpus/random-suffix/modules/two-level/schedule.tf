locals {
  # how many turns the second level is shifted by, so nobody holds both levels at once
  offset_turns = floor(length(var.user_ids) / 2)

  # a fixed Monday in the past, 17:00 in Bangkok
  level_one_terraform_format = "2022-03-21T10:00:00Z"
  level_one_date             = split("T", local.level_one_terraform_format).0
  level_one_start            = "${local.level_one_date}T17:00:00+07:00"

  level_two_offset_terraform_format = timeadd(
    local.level_one_terraform_format,
    "${(-1 * (var.rotation_turn_length_seconds * local.offset_turns))}s"
  )

  level_two_start = "${((split("T", local.level_two_offset_terraform_format)).0)}T17:00:00+07:00"
}

module "level_one" {
  source = "../schedule"

  name                         = "${var.name} - Level 1"
  description                  = "${var.description} - Level 1"
  rotation_turn_length_seconds = var.rotation_turn_length_seconds
  user_ids                     = var.user_ids
  start_datetime               = local.level_one_start
  time_zone                    = var.time_zone
  team_ids                     = var.team_ids
}

module "level_two" {
  source = "../schedule"

  name                         = "${var.name} - Level 2"
  description                  = "${var.description} - Level 2"
  rotation_turn_length_seconds = var.rotation_turn_length_seconds
  user_ids                     = var.user_ids
  start_datetime               = local.level_two_start
  time_zone                    = var.time_zone
  team_ids                     = var.team_ids
}

output "level_one_schedule_id" {
  value = module.level_one.id
}

output "level_two_schedule_id" {
  value = module.level_two.id
}
