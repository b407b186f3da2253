"""The rural industrial product awards (bình chọn sản phẩm công nghiệp nông thôn tiêu biểu): rounds, councils and
juries, scoring, certificates, nomination up the levels and the public catalogue (TT 26/2014/TT-BCT as amended)."""
