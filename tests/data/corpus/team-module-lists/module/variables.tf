variable "team_name" {
  type = string
}

variable "observer_members" {
  type    = list(string)
  default = []
}

variable "responder_members" {
  type    = list(string)
  default = []
}

variable "manager_members" {
  type    = list(string)
  default = []
}

variable "schedules" {
  type = list(object({
    name                         = string
    time_zone                    = optional(string, "Etc/UTC")
    start                        = string
    rotation_virtual_start       = string
    rotation_turn_length_seconds = number
    users                        = list(string)
  }))
  default = []
}

variable "escalation_policies" {
  type = list(object({
    name                             = string
    description                      = optional(string, "")
    num_loops                        = number
    rule_escalation_delay_in_minutes = number
    escalation_rule_schedules        = list(string)
  }))
  default = []
}
