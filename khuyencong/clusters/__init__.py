"""The industrial clusters (cụm công nghiệp): the register, establishing and expanding, infrastructure and state
support, tenants, land and occupancy, the half-yearly report forms (NĐ 32/2024/NĐ-CP, TT 14/2024/TT-BCT)."""
