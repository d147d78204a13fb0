variable "teams" {
  type = map(object({
    parent_name = optional(string, "")
    manager     = string
    responders  = list(string)
  }))
}
