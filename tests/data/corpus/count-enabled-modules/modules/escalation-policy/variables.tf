variable "enabled" {
  type    = bool
  default = true
}

variable "name" {
  description = "Policy name"
}

variable "repeat_loops" {
  default = 2
}

variable "escalation_delay_in_minutes" {
  default = 15
}

variable "user_targets" {
  default = []
}

variable "schedule_targets" {
  default = []
}
