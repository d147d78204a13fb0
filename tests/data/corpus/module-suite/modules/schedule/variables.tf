variable "name" {
  type = string
}

variable "time_zone" {
  type = string
}

variable "layers" {
  type = list(object({
    name                         = string
    start                        = string
    rotation_virtual_start       = string
    rotation_turn_length_seconds = number
    users                        = list(string)
    end                          = optional(string)
    restrictions = optional(list(object({
      type              = string
      start_time_of_day = string
      duration_seconds  = number
      start_day_of_week = optional(number)
    })), [])
  }))
}

variable "description" {
  type    = string
  default = null
}

variable "team_id" {
  type    = string
  default = null
}

variable "rotation_anchor" {
  type    = string
  default = ""
}
