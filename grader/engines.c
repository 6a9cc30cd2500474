/**
 * @file engines.c
 * @brief Finding out which engines work here and what CPU they emulate.
 *
 * An engine counts as available only if it really boots a Spectrum image:
 * spectrum-run --probe boots the image with run=list and returns its
 * "cpu: <vendor>, vmx=.. svm=.." line, and from stage 02 on also the
 * "vcpu:" line in which the kernel says whether it could enable VT-x or
 * AMD-V.  Both are printed from inside the guest CPU, the only trustworthy
 * answer to "does this engine nest?": /dev/kvm existing says nothing about
 * it (here KVM boots guests that see neither VMX nor SVM), and a CPUID bit
 * says nothing about the VMX controls Spectrum needs (Bochs's
 * core2_penryn_t9600 has VMX but cannot save IA32_EFER on exit).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "grader.h"

/* Probe and report order: the everyday engine first. */
const char *const engine_names[] = { "qemu-tcg", "bochs", "bochs-svm", "qemu-kvm", NULL };

bool engine_known(const char *name)
{
    for (int i = 0; engine_names[i]; i++)
        if (strcmp(name, engine_names[i]) == 0)
            return true;
    return false;
}

#define VCPU_USING "vcpu: using "
#define VCPU_NONE "vcpu: no hardware virtualization: "

void engine_parse_probe(struct engine *e, const char *output, int status)
{
    e->available = false;
    e->vmx = e->svm = false;
    e->vcpu_known = false;
    e->vcpu_backend[0] = e->vcpu_why[0] = '\0';
    snprintf(e->why, sizeof e->why, "probe did not run");

    char cpu[256] = "", last[256] = "";
    const char *p = output ? output : "";
    while (*p) {
        size_t len = strcspn(p, "\n");
        char line[512];
        snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
        line[strcspn(line, "\r")] = '\0';
        p += len + (p[len] == '\n');

        if (strncmp(line, "cpu:", 4) == 0 && !cpu[0]) {
            snprintf(cpu, sizeof cpu, "%s", line);
        } else if (strncmp(line, VCPU_USING, strlen(VCPU_USING)) == 0 && !e->vcpu_known) {
            /* "vcpu: using svm (AMD-V)": the back end's name is one word. */
            const char *name = line + strlen(VCPU_USING);
            snprintf(e->vcpu_backend, sizeof e->vcpu_backend, "%.*s", (int)strcspn(name, " "), name);
            e->vcpu_known = e->vcpu_backend[0] != '\0';
        } else if (strncmp(line, VCPU_NONE, strlen(VCPU_NONE)) == 0 && !e->vcpu_known) {
            snprintf(e->vcpu_why, sizeof e->vcpu_why, "%s", line + strlen(VCPU_NONE));
            e->vcpu_known = true;
        } else if (line[0]) {
            snprintf(last, sizeof last, "%s", line);
        }
    }

    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && cpu[0]) {
        e->available = true;
        snprintf(e->why, sizeof e->why, "%s", cpu);
        e->vmx = strstr(cpu, "vmx=yes") != NULL;
        e->svm = strstr(cpu, "svm=yes") != NULL;
    } else {
        /* spectrum-run says "engine E unavailable: WHY": keep the WHY. */
        const char *m = last;
        const char *u = strstr(last, "unavailable: ");
        if (u)
            m = u + strlen("unavailable: ");
        snprintf(e->why, sizeof e->why, "%s", m[0] ? m : "it did not boot the image");
        e->vcpu_known = false;
    }
}

FILE *engine_probe_start(const struct engine *e, const char *kernel, const char *logdir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "grader/spectrum-run --engine %s --probe --timeout 120 --log %s/probe-%s.log %s 2>&1",
             e->name, logdir, e->name, kernel);
    return popen(cmd, "r");
}

void engine_probe_finish(struct engine *e, FILE *p)
{
    if (!p) {
        engine_parse_probe(e, "", -1);
        return;
    }
    size_t cap = 4096, len = 0;
    char *out = malloc(cap);
    size_t n;
    while (out && (n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 == cap) {
            char *bigger = realloc(out, cap * 2);
            if (!bigger)
                break;
            out = bigger;
            cap *= 2;
        }
    }
    if (out)
        out[len] = '\0';
    int st = pclose(p);
    engine_parse_probe(e, out ? out : "", st);
    free(out);
}

bool engine_can_run(const struct engine *e, const struct test *t, char *why, size_t cap)
{
    if (!e->available) {
        snprintf(why, cap, "engine %s unavailable: %s", e->name, e->why);
        return false;
    }
    for (int i = 0; i < t->skip_count; i++)
        if (strcmp(t->skip_engine[i], e->name) == 0) {
            snprintf(why, cap, "engine %s: %s", e->name, t->skip_why[i]);
            return false;
        }
    if (t->requires == REQ_NONE)
        return true;

    if (e->vcpu_known) {
        /* The kernel's own verdict: what it enabled is what a test gets,
         * whatever the cpu: line advertises. */
        if (!e->vcpu_backend[0]) {
            snprintf(why, cap, "engine %s: no usable hardware virtualization: %s%s", e->name, e->vcpu_why,
                     strcmp(e->name, "qemu-kvm") == 0 ? "; this host's KVM does not nest" : "");
            return false;
        }
        const char *need = t->requires == REQ_VMX ? "vmx" : t->requires == REQ_SVM ? "svm" : NULL;
        if (need && strcmp(e->vcpu_backend, need) != 0) {
            snprintf(why, cap, "engine %s: the test needs %s, the kernel uses %s", e->name,
                     t->requires == REQ_VMX ? "VMX" : "SVM", e->vcpu_backend);
            return false;
        }
        return true;
    }

    /* No vcpu: line (a stage-01 image): only the CPUID bits are known. */
    const char *need = NULL;
    switch (t->requires) {
    case REQ_NONE: break;
    case REQ_VIRT: if (!e->vmx && !e->svm) need = "VMX or SVM"; break;
    case REQ_VMX: if (!e->vmx) need = "VMX"; break;
    case REQ_SVM: if (!e->svm) need = "SVM"; break;
    }
    if (need) {
        snprintf(why, cap, "engine %s: the guest CPU has no %s (%s)%s", e->name, need, e->why,
                 strcmp(e->name, "qemu-kvm") == 0 ? "; this host's KVM does not nest" : "");
        return false;
    }
    return true;
}
