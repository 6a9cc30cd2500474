/**
 * @file test_pic.c
 * @brief Unit tests of the 8259A pair's logic (vdev/pic8259.c), hosted,
 *        with the Check framework.  Each test programs the chips through
 *        their registers exactly as a guest would.
 */
#include <check.h>
#include <stdlib.h>

#include "vdev/pic8259.h"

/* Linux's and the PC BIOS's initialisation: edge-triggered, cascade,
 * ICW4 with 8086 mode; master vectors 0x20-0x27, slave 0x28-0x2f. */
static void init_pair(struct pic_pair *p, uint8_t icw4)
{
    pic_pair_reset(p);
    pic_pair_write(p, PIC_MASTER, 0, 0x11);
    pic_pair_write(p, PIC_MASTER, 1, 0x20);
    pic_pair_write(p, PIC_MASTER, 1, 0x04);
    pic_pair_write(p, PIC_MASTER, 1, icw4);
    pic_pair_write(p, PIC_SLAVE, 0, 0x11);
    pic_pair_write(p, PIC_SLAVE, 1, 0x28);
    pic_pair_write(p, PIC_SLAVE, 1, 0x02);
    pic_pair_write(p, PIC_SLAVE, 1, icw4);
}

static uint8_t read_isr(struct pic_pair *p, unsigned chip)
{
    pic_pair_write(p, chip, 0, 0x0b);   /* OCW3: read ISR */
    return pic_pair_read(p, chip, 0);
}

static uint8_t read_irr(struct pic_pair *p, unsigned chip)
{
    pic_pair_write(p, chip, 0, 0x0a);   /* OCW3: read IRR */
    return pic_pair_read(p, chip, 0);
}

static void pulse(struct pic_pair *p, unsigned irq)
{
    pic_pair_set_irq(p, irq, true);
    pic_pair_set_irq(p, irq, false);
}

START_TEST(reset_delivers_nothing)
{
    struct pic_pair p;
    pic_pair_reset(&p);
    ck_assert_uint_eq(pic_pair_read(&p, PIC_MASTER, 1), 0xff);
    pic_pair_set_irq(&p, 0, true);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
}
END_TEST

START_TEST(uninitialised_even_if_unmasked)
{
    struct pic_pair p;
    pic_pair_reset(&p);
    pic_pair_write(&p, PIC_MASTER, 1, 0x00);    /* OCW1 without any ICW */
    pulse(&p, 1);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    /* A half-done ICW sequence does not deliver either. */
    pic_pair_write(&p, PIC_MASTER, 0, 0x11);
    pic_pair_write(&p, PIC_MASTER, 1, 0x20);
    pulse(&p, 1);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
}
END_TEST

START_TEST(mask_reads_back)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    ck_assert_uint_eq(pic_pair_read(&p, PIC_MASTER, 1), 0x00); /* ICW1 clears IMR */
    pic_pair_write(&p, PIC_MASTER, 1, 0xb8);
    pic_pair_write(&p, PIC_SLAVE, 1, 0x8e);
    ck_assert_uint_eq(pic_pair_read(&p, PIC_MASTER, 1), 0xb8);
    ck_assert_uint_eq(pic_pair_read(&p, PIC_SLAVE, 1), 0x8e);
}
END_TEST

START_TEST(edge_ack_eoi)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_set_irq(&p, 0, true);
    ck_assert_uint_eq(read_irr(&p, PIC_MASTER), 0x01);
    ck_assert_int_eq(pic_pair_pending(&p), 0x20);
    ck_assert_int_eq(pic_pair_ack(&p), 0x20);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x01);
    ck_assert_uint_eq(read_irr(&p, PIC_MASTER), 0x00);
    /* Held high: no new edge, no new request. */
    pic_pair_set_irq(&p, 0, true);
    ck_assert_uint_eq(read_irr(&p, PIC_MASTER), 0x00);
    /* A new edge while in service is latched but waits for the EOI. */
    pic_pair_set_irq(&p, 0, false);
    pic_pair_set_irq(&p, 0, true);
    ck_assert_uint_eq(read_irr(&p, PIC_MASTER), 0x01);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);    /* non-specific EOI */
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    ck_assert_int_eq(pic_pair_pending(&p), 0x20);
}
END_TEST

START_TEST(fixed_priority_and_nesting)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pulse(&p, 3);
    pulse(&p, 1);
    ck_assert_int_eq(pic_pair_ack(&p), 0x21);  /* IR1 beats IR3 */
    ck_assert_int_eq(pic_pair_pending(&p), -1); /* IR3 is lower than IR1 in service */
    pulse(&p, 0);
    ck_assert_int_eq(pic_pair_ack(&p), 0x20);  /* IR0 nests over IR1 */
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x03);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);    /* EOI ends IR0 (highest in service) */
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x02);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    ck_assert_int_eq(pic_pair_ack(&p), 0x23);
}
END_TEST

START_TEST(masking)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_write(&p, PIC_MASTER, 1, 0x01);
    pulse(&p, 0);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    ck_assert_uint_eq(read_irr(&p, PIC_MASTER), 0x01); /* latched though masked */
    pic_pair_write(&p, PIC_MASTER, 1, 0x00);
    ck_assert_int_eq(pic_pair_pending(&p), 0x20);
}
END_TEST

START_TEST(cascade)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pulse(&p, 10);
    ck_assert_int_eq(pic_pair_pending(&p), 0x2a);
    ck_assert_int_eq(pic_pair_ack(&p), 0x2a);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x04);
    ck_assert_uint_eq(read_isr(&p, PIC_SLAVE), 0x04);
    /* Another slave request of lower priority waits for the slave's EOI,
     * a master request of higher priority than IR2 does not. */
    pulse(&p, 12);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    pulse(&p, 1);
    ck_assert_int_eq(pic_pair_ack(&p), 0x21);
    pic_pair_write(&p, PIC_MASTER, 0, 0x61);    /* specific EOI for IR1 */
    pic_pair_write(&p, PIC_SLAVE, 0, 0x20);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    ck_assert_uint_eq(read_isr(&p, PIC_SLAVE), 0x00);
    ck_assert_int_eq(pic_pair_ack(&p), 0x2c);
}
END_TEST

START_TEST(cascade_masked_at_master)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_write(&p, PIC_MASTER, 1, 0x04);
    pulse(&p, 8);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    pic_pair_write(&p, PIC_MASTER, 1, 0x00);
    ck_assert_int_eq(pic_pair_pending(&p), 0x28);
    /* Masked at the slave instead. */
    struct pic_pair q;
    init_pair(&q, 0x01);
    pic_pair_write(&q, PIC_SLAVE, 1, 0x01);
    pulse(&q, 8);
    ck_assert_int_eq(pic_pair_pending(&q), -1);
}
END_TEST

START_TEST(no_cascade_in_icw3)
{
    struct pic_pair p;
    pic_pair_reset(&p);
    pic_pair_write(&p, PIC_MASTER, 0, 0x11);
    pic_pair_write(&p, PIC_MASTER, 1, 0x08);
    pic_pair_write(&p, PIC_MASTER, 1, 0x00);    /* no slave anywhere */
    pic_pair_write(&p, PIC_MASTER, 1, 0x01);
    pulse(&p, 2);
    ck_assert_int_eq(pic_pair_ack(&p), 0x0a);  /* the master's own vector */
}
END_TEST

START_TEST(single_mode_skips_icw3)
{
    struct pic_pair p;
    pic_pair_reset(&p);
    pic_pair_write(&p, PIC_MASTER, 0, 0x13);    /* SNGL + IC4 */
    pic_pair_write(&p, PIC_MASTER, 1, 0x40);
    pic_pair_write(&p, PIC_MASTER, 1, 0x01);    /* this is ICW4, not ICW3 */
    pic_pair_write(&p, PIC_MASTER, 1, 0xfe);    /* and this is the mask */
    ck_assert_uint_eq(pic_pair_read(&p, PIC_MASTER, 1), 0xfe);
    pulse(&p, 0);
    ck_assert_int_eq(pic_pair_ack(&p), 0x40);
}
END_TEST

START_TEST(specific_eoi)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_ack(&p), 0x25);
    pic_pair_write(&p, PIC_MASTER, 0, 0x63);    /* specific EOI of IR3: nothing there */
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x20);
    pic_pair_write(&p, PIC_MASTER, 0, 0x65);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
}
END_TEST

START_TEST(rotation)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_write(&p, PIC_MASTER, 0, 0xc3);    /* set priority: IR3 lowest, IR4 highest */
    pulse(&p, 1);
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_ack(&p), 0x25);
    pic_pair_write(&p, PIC_MASTER, 0, 0xa0);    /* rotate on non-specific EOI: IR5 lowest */
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_ack(&p), 0x21);  /* order is now 6 7 0 1 .. 5 */
    pic_pair_write(&p, PIC_MASTER, 0, 0xe1);    /* rotate on specific EOI 1: IR2 highest */
    ck_assert_int_eq(pic_pair_ack(&p), 0x25);
}
END_TEST

START_TEST(auto_eoi)
{
    struct pic_pair p;
    init_pair(&p, 0x03);                        /* ICW4: 8086 + AEOI */
    pulse(&p, 4);
    ck_assert_int_eq(pic_pair_ack(&p), 0x24);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    pulse(&p, 6);
    ck_assert_int_eq(pic_pair_ack(&p), 0x26);  /* nothing in service blocks it */
}
END_TEST

START_TEST(spurious)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    ck_assert_int_eq(pic_pair_ack(&p), 0x27);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    ck_assert_uint_eq(p.spurious, 1);
    ck_assert_uint_eq(p.acks, 1);
}
END_TEST

START_TEST(irq_unmasked_follows_the_path)
{
    struct pic_pair p;
    pic_pair_reset(&p);
    ck_assert(!pic_pair_irq_unmasked(&p, 0));   /* not initialised */
    init_pair(&p, 0x01);
    pic_pair_write(&p, PIC_MASTER, 1, 0xfe);
    pic_pair_write(&p, PIC_SLAVE, 1, 0xf7);
    ck_assert(pic_pair_irq_unmasked(&p, 0));
    ck_assert(!pic_pair_irq_unmasked(&p, 1));
    ck_assert(!pic_pair_irq_unmasked(&p, 11));  /* slave IR3 open, cascade IR2 masked */
    pic_pair_write(&p, PIC_MASTER, 1, 0xfa);
    ck_assert(pic_pair_irq_unmasked(&p, 11));
    ck_assert(!pic_pair_irq_unmasked(&p, 12));
    ck_assert(!pic_pair_irq_unmasked(&p, 16));
}
END_TEST

START_TEST(level_triggered)
{
    struct pic_pair p;
    pic_pair_reset(&p);
    pic_pair_write(&p, PIC_MASTER, 0, 0x19);    /* LTIM */
    pic_pair_write(&p, PIC_MASTER, 1, 0x20);
    pic_pair_write(&p, PIC_MASTER, 1, 0x04);
    pic_pair_write(&p, PIC_MASTER, 1, 0x01);
    pic_pair_set_irq(&p, 3, true);
    ck_assert_int_eq(pic_pair_ack(&p), 0x23);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    ck_assert_int_eq(pic_pair_pending(&p), 0x23); /* still high: requests again */
    pic_pair_set_irq(&p, 3, false);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
}
END_TEST

START_TEST(poll_command)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_write(&p, PIC_MASTER, 0, 0x0c);    /* OCW3: poll */
    ck_assert_uint_eq(pic_pair_read(&p, PIC_MASTER, 0), 0x00);
    pulse(&p, 6);
    pic_pair_write(&p, PIC_MASTER, 0, 0x0c);
    ck_assert_uint_eq(pic_pair_read(&p, PIC_MASTER, 0), 0x86);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x40);
}
END_TEST

START_TEST(special_mask_mode)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pulse(&p, 3);
    ck_assert_int_eq(pic_pair_ack(&p), 0x23);
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_pending(&p), -1); /* IR3 in service blocks IR5 */
    pic_pair_write(&p, PIC_MASTER, 1, 0x08);    /* mask IR3 */
    pic_pair_write(&p, PIC_MASTER, 0, 0x68);    /* OCW3: set special mask mode */
    ck_assert_int_eq(pic_pair_pending(&p), 0x25);
    pic_pair_write(&p, PIC_MASTER, 0, 0x48);    /* reset special mask mode */
    ck_assert_int_eq(pic_pair_pending(&p), -1);
}
END_TEST

START_TEST(reinit_clears_state)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pulse(&p, 1);
    ck_assert_int_eq(pic_pair_ack(&p), 0x21);
    pulse(&p, 4);
    init_pair(&p, 0x01);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    ck_assert_uint_eq(read_irr(&p, PIC_MASTER), 0x00);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    /* The same ICW1 clears a held line's edge latch: it needs a new edge. */
    pic_pair_set_irq(&p, 7, true);
    pic_pair_write(&p, PIC_MASTER, 0, 0x11);
    pic_pair_write(&p, PIC_MASTER, 1, 0x20);
    pic_pair_write(&p, PIC_MASTER, 1, 0x04);
    pic_pair_write(&p, PIC_MASTER, 1, 0x01);
    pic_pair_set_irq(&p, 7, true);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
}
END_TEST

START_TEST(out_of_range_inputs_ignored)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_set_irq(&p, 16, true);
    pic_pair_set_irq(&p, 1000, true);
    pic_pair_write(&p, 2, 0, 0x11);
    ck_assert_uint_eq(pic_pair_read(&p, 5, 1), 0xff);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
}
END_TEST

/* Rotation moves the priority order, and it must move everywhere the
 * order is used ("Rotation": after a rotate or set-priority command the
 * level after the lowest one is the highest): choosing among requests,
 * deciding whether a request nests over a level in service ("Fully Nested
 * Mode"), and which in-service level a non-specific EOI ends. */
START_TEST(rotation_moves_every_priority_decision)
{
    struct pic_pair p;
    init_pair(&p, 0x01);
    pic_pair_write(&p, PIC_MASTER, 0, 0xc3);    /* set priority: order 4 5 6 7 0 1 2 3 */
    pulse(&p, 0);
    pulse(&p, 6);
    ck_assert_int_eq(pic_pair_ack(&p), 0x26);  /* IR6 beats IR0 now */
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);    /* IR0 is still requested */
    ck_assert_int_eq(pic_pair_ack(&p), 0x20);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);

    /* IR1 in service: IR6 (higher now) nests, IR3 (lower) waits. */
    pulse(&p, 1);
    ck_assert_int_eq(pic_pair_ack(&p), 0x21);
    pulse(&p, 3);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    pulse(&p, 6);
    ck_assert_int_eq(pic_pair_pending(&p), 0x26);
    ck_assert_int_eq(pic_pair_ack(&p), 0x26);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x42);
    /* IR6 in service: even IR0, the highest after ICW1, waits. */
    pulse(&p, 0);
    ck_assert_int_eq(pic_pair_pending(&p), -1);
    /* A non-specific EOI ends the highest in service under the rotated
     * order: IR6, not IR1. */
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x02);
    ck_assert_int_eq(pic_pair_ack(&p), 0x20);  /* IR0 is above IR1: it nests */
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);
    ck_assert_uint_eq(read_isr(&p, PIC_MASTER), 0x00);
    ck_assert_int_eq(pic_pair_ack(&p), 0x23);
    pic_pair_write(&p, PIC_MASTER, 0, 0x20);

    /* Rotate on non-specific EOI: the level it ends becomes the lowest. */
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_ack(&p), 0x25);
    pic_pair_write(&p, PIC_MASTER, 0, 0xa0);    /* order 6 7 0 1 2 3 4 5 */
    pulse(&p, 4);
    pulse(&p, 7);
    ck_assert_int_eq(pic_pair_ack(&p), 0x27);
    /* Rotate on specific EOI of IR7: IR0 becomes the highest. */
    pic_pair_write(&p, PIC_MASTER, 0, 0xe7);
    pulse(&p, 0);
    ck_assert_int_eq(pic_pair_ack(&p), 0x20);  /* beats IR4, requested first */
    ck_assert_int_eq(pic_pair_pending(&p), -1); /* IR4 is below IR0 */
}
END_TEST

/* Automatic rotation ("Automatic Rotation"): in AEOI mode with the rotate
 * in AEOI command (OCW2 R=1 SL=0 EOI=0), each level, once acknowledged,
 * becomes the lowest; clearing the command (R=0) stops it. */
START_TEST(rotate_in_auto_eoi_mode)
{
    struct pic_pair p;
    init_pair(&p, 0x03);                        /* ICW4: 8086 + AEOI */
    pic_pair_write(&p, PIC_MASTER, 0, 0x80);    /* set rotate in AEOI mode */
    pulse(&p, 3);
    ck_assert_int_eq(pic_pair_ack(&p), 0x23);  /* order now 4 5 6 7 0 1 2 3 */
    pulse(&p, 1);
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_ack(&p), 0x25);  /* order now 6 7 0 1 2 3 4 5 */
    pulse(&p, 7);
    ck_assert_int_eq(pic_pair_ack(&p), 0x27);  /* order now 0 1 2 .. 7 */
    ck_assert_int_eq(pic_pair_ack(&p), 0x21);  /* order now 2 3 .. 7 0 1 */
    pic_pair_write(&p, PIC_MASTER, 0, 0x00);    /* clear rotate in AEOI mode */
    pulse(&p, 5);
    ck_assert_int_eq(pic_pair_ack(&p), 0x25);  /* no rotation after this one */
    pulse(&p, 6);
    pulse(&p, 4);
    ck_assert_int_eq(pic_pair_ack(&p), 0x24);  /* still 2 3 4 ..: IR4 before IR6 */
}
END_TEST

/* Special fully nested mode (ICW4 SFNM, "Special Fully Nested Mode"): the
 * master lets a request through the input of a slave that is in service
 * if the slave raised its INT again, i.e. for a higher-priority level of
 * that slave; the slave itself still holds back its lower levels.  In
 * plain fully nested mode the in-service IR2 blocks everything behind it. */
START_TEST(special_fully_nested_mode)
{
    struct pic_pair p;
    init_pair(&p, 0x01);                        /* ICW4: 8086, no SFNM */
    pulse(&p, 12);
    ck_assert_int_eq(pic_pair_ack(&p), 0x2c);
    pulse(&p, 9);                               /* higher than IR12 on the slave */
    ck_assert_int_eq(pic_pair_pending(&p), -1); /* fully nested: IR2 blocks it */

    struct pic_pair q;
    pic_pair_reset(&q);
    pic_pair_write(&q, PIC_MASTER, 0, 0x11);
    pic_pair_write(&q, PIC_MASTER, 1, 0x20);
    pic_pair_write(&q, PIC_MASTER, 1, 0x04);
    pic_pair_write(&q, PIC_MASTER, 1, 0x11);    /* ICW4: SFNM + 8086 */
    pic_pair_write(&q, PIC_SLAVE, 0, 0x11);
    pic_pair_write(&q, PIC_SLAVE, 1, 0x28);
    pic_pair_write(&q, PIC_SLAVE, 1, 0x02);
    pic_pair_write(&q, PIC_SLAVE, 1, 0x01);
    pulse(&q, 12);
    ck_assert_int_eq(pic_pair_ack(&q), 0x2c);
    pulse(&q, 13);                              /* lower than IR12: the slave holds it */
    ck_assert_int_eq(pic_pair_pending(&q), -1);
    pulse(&q, 9);
    ck_assert_int_eq(pic_pair_pending(&q), 0x29);
    ck_assert_int_eq(pic_pair_ack(&q), 0x29);
    ck_assert_uint_eq(read_isr(&q, PIC_SLAVE), 0x12);
    ck_assert_uint_eq(read_isr(&q, PIC_MASTER), 0x04);
    /* Master levels below IR2 still wait while IR2 is in service. */
    pulse(&q, 5);
    ck_assert_int_eq(pic_pair_pending(&q), -1);
    /* The handler ends IR9 on the slave; the slave still has IR12 in
     * service, so the master's IR2 stays in service ("the software must
     * check the slave's ISR") and IR5 keeps waiting. */
    pic_pair_write(&q, PIC_SLAVE, 0, 0x20);
    ck_assert_uint_eq(read_isr(&q, PIC_SLAVE), 0x10);
    ck_assert_int_eq(pic_pair_pending(&q), -1);
    pic_pair_write(&q, PIC_SLAVE, 0, 0x20);
    ck_assert_uint_eq(read_isr(&q, PIC_SLAVE), 0x00);
    ck_assert_int_eq(pic_pair_ack(&q), 0x2d);  /* IR13 now, through IR2 again */
}
END_TEST

static Suite *pic_suite(void)
{
    Suite *s = suite_create("pic8259");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, reset_delivers_nothing);
    tcase_add_test(tc, uninitialised_even_if_unmasked);
    tcase_add_test(tc, mask_reads_back);
    tcase_add_test(tc, edge_ack_eoi);
    tcase_add_test(tc, fixed_priority_and_nesting);
    tcase_add_test(tc, masking);
    tcase_add_test(tc, cascade);
    tcase_add_test(tc, cascade_masked_at_master);
    tcase_add_test(tc, no_cascade_in_icw3);
    tcase_add_test(tc, single_mode_skips_icw3);
    tcase_add_test(tc, specific_eoi);
    tcase_add_test(tc, rotation);
    tcase_add_test(tc, rotation_moves_every_priority_decision);
    tcase_add_test(tc, rotate_in_auto_eoi_mode);
    tcase_add_test(tc, special_fully_nested_mode);
    tcase_add_test(tc, auto_eoi);
    tcase_add_test(tc, spurious);
    tcase_add_test(tc, irq_unmasked_follows_the_path);
    tcase_add_test(tc, level_triggered);
    tcase_add_test(tc, poll_command);
    tcase_add_test(tc, special_mask_mode);
    tcase_add_test(tc, reinit_clears_state);
    tcase_add_test(tc, out_of_range_inputs_ignored);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(pic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
