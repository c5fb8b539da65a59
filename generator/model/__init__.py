"""The model: editors' YAML loaded strictly, validated against the kind schemas, into the Site model
(with periods, working days, holidays, 索引号, wording in force and computed totals)."""
