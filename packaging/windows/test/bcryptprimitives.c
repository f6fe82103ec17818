/* Test only (make test-windows): wine 8 lacks bcryptprimitives.dll, whose ProcessPrng
 * Rust's standard library calls for random bytes (Windows 10 and 11, and wine 9,
 * have it). This stub forwards to advapi32's SystemFunction036 (RtlGenRandom). It is
 * built into a temporary folder beside a copy of the exe, never into the zip. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
