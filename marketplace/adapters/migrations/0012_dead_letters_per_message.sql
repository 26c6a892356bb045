-- A dead letter is one message at one offset, recorded once however often that offset is redelivered.
-- Offsets alone do not name a message: when the broker loses its log (the embedded broker keeps it in
-- memory; a topic deleted and recreated), offsets start again at 0, and a different bad message at an
-- offset already used was silently not recorded. The message's bytes are now part of the key.
ALTER TABLE dead_letters DROP CONSTRAINT IF EXISTS dead_letters_consumer_topic_partition_offset_key;
CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_one_per_delivery
    ON dead_letters (consumer, topic, partition, "offset", md5(original));
