-- An attempt's own queue id is stored only where it differs from its life's (or it has no life): the trace of a
-- queue id reads those few attempts by this index, beside the attempts of its lives (attempts_life).
CREATE INDEX attempts_own_queue ON attempts (queue_id) WHERE queue_id <> '';
