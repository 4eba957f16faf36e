CREATE TABLE gadgets (
  id     bigserial PRIMARY KEY,
  widget bigint NOT NULL REFERENCES widgets (id)
);
CREATE INDEX gadgets_widget ON gadgets (widget);
