variable "name" {
  type = string
}

variable "description" {
  type    = string
  default = null
}

resource "pagerduty_team" "this" {
  name        = var.name
  description = var.description
}

output "team_id" {
  value = pagerduty_team.this.id
}
