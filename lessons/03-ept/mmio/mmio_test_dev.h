/**
 * @file mmio_test_dev.h
 * @brief The "mmio-test" device's address and register offsets, for test
 *        guests and unit tests (the layout is described in mmio_test_dev.c).
 *
 * Plain macros only, so guest code (C or assembly) can include it too.
 */
#ifndef SPECTRUM_MMIO_TEST_DEV_H
#define SPECTRUM_MMIO_TEST_DEV_H

#define MMIO_TEST_NAME          "mmio-test"  /**< mmio_state() name */
#define MMIO_TEST_BASE          0xfeb00000   /**< guest-physical base */
#define MMIO_TEST_SIZE          0x1000       /**< one page */
#define MMIO_TEST_SCRATCH_SIZE  0x100        /**< scratch bytes at offset 0 */
#define MMIO_TEST_REG_ACCESSES  0x100        /**< RO: accesses before the current one */
#define MMIO_TEST_REG_LAST      0x108        /**< RO: previous access: size[3:0], write[8], offset[31:16] */
#define MMIO_TEST_REG_VALUE     0x110        /**< RO: value of the last write */
#define MMIO_TEST_REG_IGNORED   0x118        /**< RO: writes dropped so far */

#define MMIO_TEST_LAST_WRITE    0x100        /**< LAST: the access was a write */

#endif
