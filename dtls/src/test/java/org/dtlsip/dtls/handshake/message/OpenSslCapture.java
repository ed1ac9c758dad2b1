package org.dtlsip.dtls.handshake.message;

/**
 * Wire data captured from {@code openssl s_client -dtls1_2 -connect 127.0.0.1:PORT} (OpenSSL
 * 3.0.19) against a UDP listener that recorded the first datagram: the ClientHello body, after
 * the 13-byte record header and 12-byte handshake header were stripped.
 */
final class OpenSslCapture {
    static final String CLIENT_HELLO_BODY = ""
            + "fefd3ef8f6ba61a89aaa4d7c60a573adbc850f56800fece2fec55c6def6d4415"
            + "c03900000038c02cc030009fcca9cca8ccaac02bc02f009ec024c028006bc023"
            + "c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff0100"
            + "0052000b000403000102000a000c000a001d0017001e00190018002300000016"
            + "000000170000000d002a0028040305030603080708080809080a080b08040805"
            + "0806040105010601030303010302040205020602";

    private OpenSslCapture() {
    }
}
