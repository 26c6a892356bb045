-- Issue 16: a failed webhook delivery is stored as a class (marketplace/webhooks/failures.py), never as
-- the error's text: the text (`Connection refused` on one port, a timeout on another, a resolver's answer)
-- made the organisation's deliveries panel a port scanner. Rows written before keep no text either.
UPDATE webhook_deliveries SET last_error = CASE
        WHEN last_error = 'webhook supprimé' THEN 'webhook_removed'
        WHEN last_status BETWEEN 300 AND 399 THEN 'http_3xx'
        WHEN last_status BETWEEN 400 AND 499 THEN 'http_4xx'
        WHEN last_status BETWEEN 500 AND 599 THEN 'http_5xx'
        WHEN last_error LIKE '%Timeout%' THEN 'timeout'
        WHEN last_error LIKE 'ConnectError%' THEN 'connect'
        ELSE 'other'
    END
WHERE last_error IS NOT NULL AND last_error NOT IN ('internal_address', 'timeout', 'connect', 'tls', 'http_3xx',
                                                    'http_4xx', 'http_5xx', 'protocol', 'webhook_removed', 'other');
