variable "people" {
  type = map(object({
    display_name = optional(string, "")
    zone         = optional(string, "America/Sao_Paulo")
    role         = optional(string, "user")
  }))
  default = {}
}

variable "rotas" {
  type = map(object({
    name      = optional(string)
    time_zone = optional(string, "America/Sao_Paulo")
    layers = optional(list(object({
      name                         = string
      start                        = optional(string, "2024-03-04T08:00:00Z")
      rotation_virtual_start       = optional(string, "2024-03-04T08:00:00Z")
      rotation_turn_length_seconds = optional(number, 86400)
      members                      = optional(map(string), {})
      window = optional(list(object({
        enabled           = optional(bool, true)
        type              = optional(string, "weekly_restriction")
        start_time_of_day = optional(string, "18:00:00")
        duration_seconds  = optional(number, 396000)
        start_day_of_week = optional(number, 5)
      })), [{}])
    })), [])
  }))
  default = {}
}

variable "services" {
  type = map(object({
    levels = optional(map(object({
      escalation_delay_in_minutes = optional(number, 20)
      targets = optional(list(object({
        type   = optional(string, "schedule_reference")
        target = optional(string)
      })))
    })))
  }))
  default = {}
}
