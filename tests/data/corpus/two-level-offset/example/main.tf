variable "people" {
  default = ["anan", "boon", "chai", "dao", "eak"]
}

module "responders" {
  count = length(var.people)

  source        = "../modules/user"
  name          = "Responder ${count.index} (${title(var.people[count.index])})"
  email_address = "${var.people[count.index]}@example.co.th"
}

module "rota" {
  source = "../modules/two-level"

  name        = "Payments"
  description = "Payments responders"

  # 86,400 seconds = 1 day
  rotation_turn_length_seconds = 86400

  time_zone = "Asia/Bangkok"
  user_ids  = module.responders.*.id
}

resource "pagerduty_escalation_policy" "payments" {
  name      = "Payments two levels"
  num_loops = 2

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = module.rota.level_one_schedule_id
    }
  }

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = module.rota.level_two_schedule_id
    }
  }
}
