# lessons/04-pv/pv: the machine's place on the spectrum (mode=hvm|hvm+pv|pvhvm).
STAGE_SRCS_04 += $(L04)/pv/pv_mode.c
