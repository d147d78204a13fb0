variable "users" {
  type = map(object({
    email     = string,
    base_role = optional(string, "restricted_access"),
    time_zone = optional(string),
    tag_names = optional(list(string), []),
  }))
}

variable "parent_teams" {
  type = map(object({
    description = optional(string),
    managers    = optional(list(string), []),
  }))
}

variable "sub_teams" {
  type = map(object({
    parent      = string,
    description = optional(string),
    responders  = optional(list(string), [])
  }))
}

variable "tags" {
  type = map(object({
    label = string
  }))
}

variable "schedules" {
  type = map(object({
    time_zone   = string,
    description = optional(string),
    overflow    = optional(bool),
    teams       = optional(list(string), []),
    layers = list(object({
      name                         = string,
      start                        = string,
      rotation_virtual_start       = string,
      rotation_turn_length_seconds = string,
      users                        = list(string),
      restrictions = optional(list(object({
        type              = string,
        start_time_of_day = string,
        duration_seconds  = string,
        start_day_of_week = optional(number)
      })), [])
    }))
  }))
}

variable "escalation_policies" {
  type = map(object({
    description = optional(string),
    num_loops   = optional(number, 0),
    teams       = optional(list(string), []),
    rules = list(object({
      escalation_delay_in_minutes = number,
      targets = list(object({
        type        = string,
        target_name = string
      }))
    }))
  }))
}
