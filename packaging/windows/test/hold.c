/* Test only (make test-windows): holds a file open without sharing, as Excel holds a
 * workbook it has open, for the given seconds: hold.exe FILE SECONDS. */
#include <windows.h>
#include <stdlib.h>
int wmain(int argc, wchar_t **argv) {
    if (argc < 3) return 2;
    HANDLE h = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return 1;
    Sleep((DWORD)_wtoi(argv[2]) * 1000);
    CloseHandle(h);
    return 0;
}
