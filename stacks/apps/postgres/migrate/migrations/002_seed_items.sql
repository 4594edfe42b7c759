-- Seed data; ON CONFLICT keeps it safe even if the rows were added by hand first.
INSERT INTO items (sku, name, quantity) VALUES
    ('KB-001', 'Keyboard', 12),
    ('MS-002', 'Mouse', 30),
    ('MN-003', 'Monitor', 5)
ON CONFLICT (sku) DO NOTHING;
