@echo off
rem cchc: chay toan bo quy trinh tren thu muc input ben canh tep nay.
chcp 65001 >nul
cd /d "%~dp0"
"%~dp0cchc.exe" run --input input --output output
set RC=%ERRORLEVEL%
echo.
if "%RC%"=="0" echo Hoan tat. Ket qua trong thu muc output.
if "%RC%"=="1" echo Co loi du lieu: ket qua van duoc ghi; xem trang "Kiem tra du lieu" trong bang tinh xep hang.
if not "%RC%"=="0" if not "%RC%"=="1" echo Khong chay duoc: doc thong bao phia tren.
if exist "%~dp0output" start "" explorer "%~dp0output"
echo.
pause
