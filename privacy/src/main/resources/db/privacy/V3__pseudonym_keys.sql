-- Pseudonym keys: one random key per tenant and rotation epoch (a calendar quarter), stored only here and
-- only encrypted (AES-256-GCM under megacuration.privacy.key-encryption-key). A day never spans two
-- epochs, so every piece k is judged on lies within one epoch and no deployment counts twice toward k.
CREATE TABLE pseudonym_key (
    tenant     text        NOT NULL,
    epoch      text        NOT NULL,   -- e.g. 2026-Q4
    sealed_key bytea       NOT NULL,   -- 12-byte nonce followed by the GCM ciphertext and tag
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant, epoch)
);
