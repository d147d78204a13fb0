variable "time_zone" {
  type    = string
  default = "America/Los_Angeles"
}

variable "name" {
  type = string
}

variable "layers" {
    type = object({
        name  = string,
        start = string,
        rotation_virtual_start = string,
        rotation_turn_length_seconds = number,
        users = list(string),
        teams = list(string),
        restriction = object({
          type  = string,
          start_time_of_day = string,
          duration_seconds = number
        })
    })
}
