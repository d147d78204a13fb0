variable "name" {}
variable "email" {}
variable "base_role" {}
variable "time_zone" {
  default = null
}
variable "tag_count" {
  type = number
}
variable "tag_ids" {
  type = list(string)
}
