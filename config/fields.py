"""Model fields shared by the apps."""

import orjson
from django.db import models
from psycopg.types.json import Jsonb


class OrjsonField(models.JSONField):
    """A JSONField written with orjson instead of json.dumps (issue 13): the evaluation results stored with
    applications, opinions and pushed-list rows (8 small findings each), where json.dumps took 60% of
    evaluating and serialising one. The same JSON, compact, Chinese kept (Decision.as_json); read back by
    JSONField. No encoder: orjson refuses what json.dumps refuses, except dates, which it writes as ISO."""

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if connection.vendor == "postgresql":
            return Jsonb(value, dumps=orjson.dumps)  # psycopg sends the bytes as they are
        return orjson.dumps(value).decode()
