# lessons/03-ept/loader: the "bzimage" loader (Linux boot protocol,
# 64-bit entry; bzimage.h).  Its tests and fuzzer are built with the
# firmware tables it writes (firmware/firmware.mk).
STAGE_SRCS_03 += $(L03)/loader/bzimage.c $(L03)/loader/bz_header.c $(L03)/loader/bz_zeropage.c \
	$(L03)/loader/bz_entry.c
include $(L03)/guests/bzfake/bzfake.mk
