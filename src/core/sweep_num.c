/* sweep_num.c — decimal text to double, correctly rounded and fast.
 *
 * A sweep holds ~17 numbers per row and strtod (about 90 ns a call in
 * glibc here) dominated loading, so the common case is done here, in about
 * 16 ns:
 *   1. Eisel-Lemire (Lemire, "Number Parsing at a Gigabyte per Second",
 *      2021; the variant in Go's strconv): for up to 19 significant digits,
 *      a 64x128-bit product with a truncated power of ten, which either
 *      proves the rounding or gives up. Tried first: it only multiplies,
 *      where Clinger's path divides for the usual negative exponents.
 *   2. Clinger's fast path, for what Eisel-Lemire leaves (exact halfway
 *      cases): mantissa <= 2^53 and |exp10| <= 22, one IEEE operation on
 *      two exact doubles, hence correctly rounded.
 *   3. Anything else (more than 19 significant digits, exponents outside
 *      the table, subnormals, overflow) goes to strtod, under the "C"
 *      numeric locale the caller sets.
 * The grammar is checked here before any of that, so strtod never
 * half-accepts a cell: hex floats, "1e", "1.2.3", "0x10" are all rejected.
 * tests/test_sweep.c compares the result bit for bit with strtod. */
#include "core/sweep_impl.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    u128 p = (u128)a * b;
    *hi = (uint64_t)(p >> 64);
    *lo = (uint64_t)p;
}
#else
static void mul64(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
    uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
    uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
    *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
    *lo = (mid << 32) | (uint32_t)p00;
}
#endif

static int clz64(uint64_t x)
{
#if defined(__GNUC__)
    return __builtin_clzll(x);
#else
    int n = 0;
    while (!(x & (UINT64_C(1) << 63))) {
        x <<= 1;
        n++;
    }
    return n;
#endif
}

/* 10^q for q in [POW_MIN, POW_MAX] as a 128-bit mantissa with its top bit
 * set, rounded down: {high 64 bits, low 64 bits}. Generated with exact
 * integer arithmetic (q >= 0: 5^q normalised; q < 0: floor(2^(127+b)/5^-q)
 * with b the bit length of 5^-q). */
enum { POW_MIN = -64, POW_MAX = 64 };
static const uint64_t pow10_128[POW_MAX - POW_MIN + 1][2] = {
    {0xA87FEA27A539E9A5U, 0x3F2398D747B36224U}, /* 1e-64 */
    {0xD29FE4B18E88640EU, 0x8EEC7F0D19A03AADU}, /* 1e-63 */
    {0x83A3EEEEF9153E89U, 0x1953CF68300424ACU}, /* 1e-62 */
    {0xA48CEAAAB75A8E2BU, 0x5FA8C3423C052DD7U}, /* 1e-61 */
    {0xCDB02555653131B6U, 0x3792F412CB06794DU}, /* 1e-60 */
    {0x808E17555F3EBF11U, 0xE2BBD88BBEE40BD0U}, /* 1e-59 */
    {0xA0B19D2AB70E6ED6U, 0x5B6ACEAEAE9D0EC4U}, /* 1e-58 */
    {0xC8DE047564D20A8BU, 0xF245825A5A445275U}, /* 1e-57 */
    {0xFB158592BE068D2EU, 0xEED6E2F0F0D56712U}, /* 1e-56 */
    {0x9CED737BB6C4183DU, 0x55464DD69685606BU}, /* 1e-55 */
    {0xC428D05AA4751E4CU, 0xAA97E14C3C26B886U}, /* 1e-54 */
    {0xF53304714D9265DFU, 0xD53DD99F4B3066A8U}, /* 1e-53 */
    {0x993FE2C6D07B7FABU, 0xE546A8038EFE4029U}, /* 1e-52 */
    {0xBF8FDB78849A5F96U, 0xDE98520472BDD033U}, /* 1e-51 */
    {0xEF73D256A5C0F77CU, 0x963E66858F6D4440U}, /* 1e-50 */
    {0x95A8637627989AADU, 0xDDE7001379A44AA8U}, /* 1e-49 */
    {0xBB127C53B17EC159U, 0x5560C018580D5D52U}, /* 1e-48 */
    {0xE9D71B689DDE71AFU, 0xAAB8F01E6E10B4A6U}, /* 1e-47 */
    {0x9226712162AB070DU, 0xCAB3961304CA70E8U}, /* 1e-46 */
    {0xB6B00D69BB55C8D1U, 0x3D607B97C5FD0D22U}, /* 1e-45 */
    {0xE45C10C42A2B3B05U, 0x8CB89A7DB77C506AU}, /* 1e-44 */
    {0x8EB98A7A9A5B04E3U, 0x77F3608E92ADB242U}, /* 1e-43 */
    {0xB267ED1940F1C61CU, 0x55F038B237591ED3U}, /* 1e-42 */
    {0xDF01E85F912E37A3U, 0x6B6C46DEC52F6688U}, /* 1e-41 */
    {0x8B61313BBABCE2C6U, 0x2323AC4B3B3DA015U}, /* 1e-40 */
    {0xAE397D8AA96C1B77U, 0xABEC975E0A0D081AU}, /* 1e-39 */
    {0xD9C7DCED53C72255U, 0x96E7BD358C904A21U}, /* 1e-38 */
    {0x881CEA14545C7575U, 0x7E50D64177DA2E54U}, /* 1e-37 */
    {0xAA242499697392D2U, 0xDDE50BD1D5D0B9E9U}, /* 1e-36 */
    {0xD4AD2DBFC3D07787U, 0x955E4EC64B44E864U}, /* 1e-35 */
    {0x84EC3C97DA624AB4U, 0xBD5AF13BEF0B113EU}, /* 1e-34 */
    {0xA6274BBDD0FADD61U, 0xECB1AD8AEACDD58EU}, /* 1e-33 */
    {0xCFB11EAD453994BAU, 0x67DE18EDA5814AF2U}, /* 1e-32 */
    {0x81CEB32C4B43FCF4U, 0x80EACF948770CED7U}, /* 1e-31 */
    {0xA2425FF75E14FC31U, 0xA1258379A94D028DU}, /* 1e-30 */
    {0xCAD2F7F5359A3B3EU, 0x096EE45813A04330U}, /* 1e-29 */
    {0xFD87B5F28300CA0DU, 0x8BCA9D6E188853FCU}, /* 1e-28 */
    {0x9E74D1B791E07E48U, 0x775EA264CF55347DU}, /* 1e-27 */
    {0xC612062576589DDAU, 0x95364AFE032A819DU}, /* 1e-26 */
    {0xF79687AED3EEC551U, 0x3A83DDBD83F52204U}, /* 1e-25 */
    {0x9ABE14CD44753B52U, 0xC4926A9672793542U}, /* 1e-24 */
    {0xC16D9A0095928A27U, 0x75B7053C0F178293U}, /* 1e-23 */
    {0xF1C90080BAF72CB1U, 0x5324C68B12DD6338U}, /* 1e-22 */
    {0x971DA05074DA7BEEU, 0xD3F6FC16EBCA5E03U}, /* 1e-21 */
    {0xBCE5086492111AEAU, 0x88F4BB1CA6BCF584U}, /* 1e-20 */
    {0xEC1E4A7DB69561A5U, 0x2B31E9E3D06C32E5U}, /* 1e-19 */
    {0x9392EE8E921D5D07U, 0x3AFF322E62439FCFU}, /* 1e-18 */
    {0xB877AA3236A4B449U, 0x09BEFEB9FAD487C2U}, /* 1e-17 */
    {0xE69594BEC44DE15BU, 0x4C2EBE687989A9B3U}, /* 1e-16 */
    {0x901D7CF73AB0ACD9U, 0x0F9D37014BF60A10U}, /* 1e-15 */
    {0xB424DC35095CD80FU, 0x538484C19EF38C94U}, /* 1e-14 */
    {0xE12E13424BB40E13U, 0x2865A5F206B06FB9U}, /* 1e-13 */
    {0x8CBCCC096F5088CBU, 0xF93F87B7442E45D3U}, /* 1e-12 */
    {0xAFEBFF0BCB24AAFEU, 0xF78F69A51539D748U}, /* 1e-11 */
    {0xDBE6FECEBDEDD5BEU, 0xB573440E5A884D1BU}, /* 1e-10 */
    {0x89705F4136B4A597U, 0x31680A88F8953030U}, /* 1e-9 */
    {0xABCC77118461CEFCU, 0xFDC20D2B36BA7C3DU}, /* 1e-8 */
    {0xD6BF94D5E57A42BCU, 0x3D32907604691B4CU}, /* 1e-7 */
    {0x8637BD05AF6C69B5U, 0xA63F9A49C2C1B10FU}, /* 1e-6 */
    {0xA7C5AC471B478423U, 0x0FCF80DC33721D53U}, /* 1e-5 */
    {0xD1B71758E219652BU, 0xD3C36113404EA4A8U}, /* 1e-4 */
    {0x83126E978D4FDF3BU, 0x645A1CAC083126E9U}, /* 1e-3 */
    {0xA3D70A3D70A3D70AU, 0x3D70A3D70A3D70A3U}, /* 1e-2 */
    {0xCCCCCCCCCCCCCCCCU, 0xCCCCCCCCCCCCCCCCU}, /* 1e-1 */
    {0x8000000000000000U, 0x0000000000000000U}, /* 1e0 */
    {0xA000000000000000U, 0x0000000000000000U}, /* 1e1 */
    {0xC800000000000000U, 0x0000000000000000U}, /* 1e2 */
    {0xFA00000000000000U, 0x0000000000000000U}, /* 1e3 */
    {0x9C40000000000000U, 0x0000000000000000U}, /* 1e4 */
    {0xC350000000000000U, 0x0000000000000000U}, /* 1e5 */
    {0xF424000000000000U, 0x0000000000000000U}, /* 1e6 */
    {0x9896800000000000U, 0x0000000000000000U}, /* 1e7 */
    {0xBEBC200000000000U, 0x0000000000000000U}, /* 1e8 */
    {0xEE6B280000000000U, 0x0000000000000000U}, /* 1e9 */
    {0x9502F90000000000U, 0x0000000000000000U}, /* 1e10 */
    {0xBA43B74000000000U, 0x0000000000000000U}, /* 1e11 */
    {0xE8D4A51000000000U, 0x0000000000000000U}, /* 1e12 */
    {0x9184E72A00000000U, 0x0000000000000000U}, /* 1e13 */
    {0xB5E620F480000000U, 0x0000000000000000U}, /* 1e14 */
    {0xE35FA931A0000000U, 0x0000000000000000U}, /* 1e15 */
    {0x8E1BC9BF04000000U, 0x0000000000000000U}, /* 1e16 */
    {0xB1A2BC2EC5000000U, 0x0000000000000000U}, /* 1e17 */
    {0xDE0B6B3A76400000U, 0x0000000000000000U}, /* 1e18 */
    {0x8AC7230489E80000U, 0x0000000000000000U}, /* 1e19 */
    {0xAD78EBC5AC620000U, 0x0000000000000000U}, /* 1e20 */
    {0xD8D726B7177A8000U, 0x0000000000000000U}, /* 1e21 */
    {0x878678326EAC9000U, 0x0000000000000000U}, /* 1e22 */
    {0xA968163F0A57B400U, 0x0000000000000000U}, /* 1e23 */
    {0xD3C21BCECCEDA100U, 0x0000000000000000U}, /* 1e24 */
    {0x84595161401484A0U, 0x0000000000000000U}, /* 1e25 */
    {0xA56FA5B99019A5C8U, 0x0000000000000000U}, /* 1e26 */
    {0xCECB8F27F4200F3AU, 0x0000000000000000U}, /* 1e27 */
    {0x813F3978F8940984U, 0x4000000000000000U}, /* 1e28 */
    {0xA18F07D736B90BE5U, 0x5000000000000000U}, /* 1e29 */
    {0xC9F2C9CD04674EDEU, 0xA400000000000000U}, /* 1e30 */
    {0xFC6F7C4045812296U, 0x4D00000000000000U}, /* 1e31 */
    {0x9DC5ADA82B70B59DU, 0xF020000000000000U}, /* 1e32 */
    {0xC5371912364CE305U, 0x6C28000000000000U}, /* 1e33 */
    {0xF684DF56C3E01BC6U, 0xC732000000000000U}, /* 1e34 */
    {0x9A130B963A6C115CU, 0x3C7F400000000000U}, /* 1e35 */
    {0xC097CE7BC90715B3U, 0x4B9F100000000000U}, /* 1e36 */
    {0xF0BDC21ABB48DB20U, 0x1E86D40000000000U}, /* 1e37 */
    {0x96769950B50D88F4U, 0x1314448000000000U}, /* 1e38 */
    {0xBC143FA4E250EB31U, 0x17D955A000000000U}, /* 1e39 */
    {0xEB194F8E1AE525FDU, 0x5DCFAB0800000000U}, /* 1e40 */
    {0x92EFD1B8D0CF37BEU, 0x5AA1CAE500000000U}, /* 1e41 */
    {0xB7ABC627050305ADU, 0xF14A3D9E40000000U}, /* 1e42 */
    {0xE596B7B0C643C719U, 0x6D9CCD05D0000000U}, /* 1e43 */
    {0x8F7E32CE7BEA5C6FU, 0xE4820023A2000000U}, /* 1e44 */
    {0xB35DBF821AE4F38BU, 0xDDA2802C8A800000U}, /* 1e45 */
    {0xE0352F62A19E306EU, 0xD50B2037AD200000U}, /* 1e46 */
    {0x8C213D9DA502DE45U, 0x4526F422CC340000U}, /* 1e47 */
    {0xAF298D050E4395D6U, 0x9670B12B7F410000U}, /* 1e48 */
    {0xDAF3F04651D47B4CU, 0x3C0CDD765F114000U}, /* 1e49 */
    {0x88D8762BF324CD0FU, 0xA5880A69FB6AC800U}, /* 1e50 */
    {0xAB0E93B6EFEE0053U, 0x8EEA0D047A457A00U}, /* 1e51 */
    {0xD5D238A4ABE98068U, 0x72A4904598D6D880U}, /* 1e52 */
    {0x85A36366EB71F041U, 0x47A6DA2B7F864750U}, /* 1e53 */
    {0xA70C3C40A64E6C51U, 0x999090B65F67D924U}, /* 1e54 */
    {0xD0CF4B50CFE20765U, 0xFFF4B4E3F741CF6DU}, /* 1e55 */
    {0x82818F1281ED449FU, 0xBFF8F10E7A8921A4U}, /* 1e56 */
    {0xA321F2D7226895C7U, 0xAFF72D52192B6A0DU}, /* 1e57 */
    {0xCBEA6F8CEB02BB39U, 0x9BF4F8A69F764490U}, /* 1e58 */
    {0xFEE50B7025C36A08U, 0x02F236D04753D5B4U}, /* 1e59 */
    {0x9F4F2726179A2245U, 0x01D762422C946590U}, /* 1e60 */
    {0xC722F0EF9D80AAD6U, 0x424D3AD2B7B97EF5U}, /* 1e61 */
    {0xF8EBAD2B84E0D58BU, 0xD2E0898765A7DEB2U}, /* 1e62 */
    {0x9B934C3B330C8577U, 0x63CC55F49F88EB2FU}, /* 1e63 */
    {0xC2781F49FFCFA6D5U, 0x3CBF6B71C76B25FBU}, /* 1e64 */
};

static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* floor(q * log2(10)) for |q| <= 348 (Go's constant). */
static int64_t floor_log2_pow10(int64_t q)
{
    int64_t t = 217706 * q;
    return t >= 0 ? t >> 16 : -((-t + 65535) >> 16);
}

/* w * 10^q for w != 0, q in the table. Returns 0 when it cannot decide
 * the rounding (the caller falls back to strtod). */
static int eisel_lemire(uint64_t w, int64_t q, double *out)
{
    const uint64_t *pw = pow10_128[q - POW_MIN];
    int lz = clz64(w);
    w <<= lz;
    uint64_t e2 = (uint64_t)(floor_log2_pow10(q) + 64 + 1023) - (uint64_t)lz;
    uint64_t hi, lo;
    mul64(w, pw[0], &hi, &lo);
    if ((hi & 0x1FF) == 0x1FF && lo + w < w) {
        /* The truncated low half of 10^q might carry into the result. */
        uint64_t yhi, ylo;
        mul64(w, pw[1], &yhi, &ylo);
        uint64_t mhi = hi, mlo = lo + yhi;
        if (mlo < lo)
            mhi++;
        if ((mhi & 0x1FF) == 0x1FF && mlo + 1 == 0 && ylo + w < w)
            return 0;
        hi = mhi;
        lo = mlo;
    }
    uint64_t msb = hi >> 63;
    uint64_t mant = hi >> (msb + 9);
    e2 -= 1 ^ msb;
    if (lo == 0 && (hi & 0x1FF) == 0 && (mant & 3) == 1)
        return 0; /* exactly halfway: cannot tell which way to round */
    mant += mant & 1;
    mant >>= 1;
    if (mant >> 53) {
        mant >>= 1;
        e2++;
    }
    if (e2 - 1 >= 0x7FF - 1)
        return 0; /* subnormal or infinite: leave it to strtod */
    uint64_t bits = e2 << 52 | (mant & ((UINT64_C(1) << 52) - 1));
    memcpy(out, &bits, sizeof *out);
    return 1;
}

static int is_blank(unsigned char c) { return c == ' ' || c == '\t'; }
static int is_digit(unsigned char c) { return (unsigned)(c - '0') < 10u; }

/* Eight ASCII digits at once (the SWAR trick of simdjson / fast_float):
 * most cells have 16-17 digits, and a digit-at-a-time loop is a serial
 * multiply-add chain. Little-endian only; elsewhere the plain loop runs. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static int eight_digits(const unsigned char *p, uint64_t *v)
{
    uint64_t x;
    memcpy(&x, p, 8);
    if (((x + UINT64_C(0x4646464646464646)) | (x - UINT64_C(0x3030303030303030))) &
        UINT64_C(0x8080808080808080))
        return 0;
    x -= UINT64_C(0x3030303030303030);
    x = x * 10 + (x >> 8);
    x = ((x & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x000F424000000064) +
         ((x >> 16) & UINT64_C(0x000000FF000000FF)) * UINT64_C(0x0000271000000001)) >> 32;
    *v = x;
    return 1;
}
#else
static int eight_digits(const unsigned char *p, uint64_t *v)
{
    (void)p;
    (void)v;
    return 0;
}
#endif

/* Reads the digits at *pp into *w (modulo 2^64: the caller checks that at
 * most 19 are significant) and returns how many there were. */
static size_t digits(const unsigned char **pp, const unsigned char *e, uint64_t *w)
{
    const unsigned char *p = *pp, *p0 = p;
    uint64_t x = *w, v;
    while (e - p >= 8 && eight_digits(p, &v)) {
        x = x * 100000000 + v;
        p += 8;
    }
    for (; p < e && is_digit(*p); p++)
        x = x * 10 + (unsigned)(*p - '0');
    *w = x;
    *pp = p;
    return (size_t)(p - p0);
}

/* Digits in [a, b) and [c, d) after the leading zeros. */
static size_t significant(const unsigned char *a, const unsigned char *b,
                          const unsigned char *c, const unsigned char *d)
{
    while (a < b && *a == '0')
        a++;
    if (a == b)
        while (c < d && *c == '0')
            c++;
    return (size_t)(b - a) + (size_t)(d - c);
}

/* After the grammar failed: strtod names the non-finite spellings
 * ("nan", "inf", "infinity", "nan(...)") so they get their own message. */
static ms_num_status classify_bad(const char *tok, const char *end)
{
    char *stop;
    double v = strtod(tok, &stop);
    return stop == end && !isfinite(v) ? MS_NUM_NONFINITE : MS_NUM_BAD;
}

/* value = w * 10^q exactly, w != 0: Eisel-Lemire, then Clinger. */
static int fast_path(uint64_t w, int64_t q, double *out)
{
    if (q >= POW_MIN && q <= POW_MAX && eisel_lemire(w, q, out))
        return 1;
#if FLT_EVAL_METHOD == 0
    if (w <= UINT64_C(1) << 53 && q >= -22 && q <= 22) {
        double v = (double)w;
        *out = q < 0 ? v / exact_pow10[-q] : v * exact_pow10[q];
        return 1;
    }
#endif
    return 0;
}

ms_num_status ms_sweep_parse_number(const char *s, size_t len, double *out)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + len;
    while (p < e && is_blank(*p))
        p++;
    while (e > p && is_blank(e[-1]))
        e--;
    if (p == e)
        return MS_NUM_EMPTY;
    const char *tok = (const char *)p;
    int neg = *p == '-';
    if (*p == '+' || *p == '-')
        p++;
    uint64_t w = 0;
    const unsigned char *i0 = p, *f0 = p;
    size_t ni = digits(&p, e, &w), nf = 0;
    if (p < e && *p == '.') {
        f0 = ++p;
        nf = digits(&p, e, &w);
    }
    if (ni + nf == 0)
        return classify_bad(tok, (const char *)e);
    int64_t ex = 0;
    if (p < e && (*p == 'e' || *p == 'E')) {
        const unsigned char *x = p + 1;
        int eneg = 0;
        if (x < e && (*x == '+' || *x == '-'))
            eneg = *x++ == '-';
        if (x < e && is_digit(*x)) {
            for (; x < e && is_digit(*x); x++)
                if (ex < 100000000)
                    ex = ex * 10 + (*x - '0');
            ex = eneg ? -ex : ex;
            p = x;
        }
    }
    if (p != e)
        return classify_bad(tok, (const char *)e);
    /* value = w * 10^q when at most 19 digits are significant. */
    if (ni + nf <= 19 || significant(i0, i0 + ni, f0, f0 + nf) <= 19) {
        double v;
        if (w == 0) {
            *out = neg ? -0.0 : 0.0;
            return MS_NUM_OK;
        }
        if (nf < 100000000 && fast_path(w, ex - (int64_t)nf, &v)) {
            *out = neg ? -v : v;
            return MS_NUM_OK;
        }
    }
    double v = strtod(tok, NULL);
    if (!isfinite(v))
        return MS_NUM_NONFINITE;
    *out = v;
    return MS_NUM_OK;
}
