-- The retention sweep removes refusals by age as well as accepted report ids.
CREATE INDEX rejection_age_idx ON rejection (at);
