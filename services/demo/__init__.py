"""The demo court and the province data set (`courtflow seed`), worked through the real commands."""
