"""The KC centre's fee-based consulting services (dịch vụ tư vấn): service lines, clients, quotations, contracts,
engineers and their certificates, supervision logs, invoices and payments, revenue."""
