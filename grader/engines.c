/**
 * @file engines.c
 * @brief Finding out which engines work here and what CPU they emulate.
 *
 * An engine counts as available only if it really boots a Spectrum image:
 * spectrum-run --probe boots the image with run=list and returns its
 * "cpu: <vendor>, vmx=.. svm=.." line.  That line, printed from inside the
 * guest CPU, is the only trustworthy answer to "does this engine nest?":
 * /dev/kvm existing says nothing about it (FACTS.md: here KVM boots guests
 * that see neither VMX nor SVM).
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "grader.h"

void engine_probe(struct engine *e, const char *kernel, const char *logdir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "grader/spectrum-run --engine %s --probe --timeout 120 --log %s/probe-%s.log %s 2>&1",
             e->name, logdir, e->name, kernel);
    FILE *p = popen(cmd, "r");
    e->available = false;
    e->vmx = e->svm = false;
    snprintf(e->why, sizeof e->why, "probe did not run");
    if (!p)
        return;
    char line[512], last[512] = "";
    bool got_cpu = false;
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "cpu:", 4) == 0) {
            snprintf(e->why, sizeof e->why, "%s", line);
            got_cpu = true;
        } else if (line[0]) {
            snprintf(last, sizeof last, "%s", line);
        }
    }
    int st = pclose(p);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && got_cpu) {
        e->available = true;
        e->vmx = strstr(e->why, "vmx=yes") != NULL;
        e->svm = strstr(e->why, "svm=yes") != NULL;
    } else {
        const char *m = last;
        const char *u = strstr(last, "unavailable: ");
        if (u)
            m = u + strlen("unavailable: ");
        snprintf(e->why, sizeof e->why, "%s", m[0] ? m : "it did not boot the image");
    }
}

bool engine_can_run(const struct engine *e, const struct test *t, char *why, size_t cap)
{
    if (!e->available) {
        snprintf(why, cap, "engine %s unavailable: %s", e->name, e->why);
        return false;
    }
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
