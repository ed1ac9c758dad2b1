package org.dtlsip.sample.uac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.dtlsip.sample.Credentials;
import org.dtlsip.sample.Transport;
import org.dtlsip.sample.uas.Uas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 16: {@code sample-uac --trace} puts every DTLS record and handshake message into the
 * first call's ladder, in order with its SIP messages; {@code sample-uas --trace} prints them as
 * they happen with a line per SIP message received and sent.
 */
@Timeout(60)
class SampleTraceTest {
    @Test
    void bothSamplesInterleaveTheDtlsHandshakeAndRecordsWithTheSipMessages() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        Captured out = new Captured();
        try (Uas uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream, null, true)) {
            String target = "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp";
            // DTLS 1.2 pinned on the UAC: the UAS, at its default, answers in 1.2.
            int rc = SampleUac.run(new String[] {"--target", target, "--fingerprint", creds.fingerprint(), "--trace",
                "--hold-ms", "0", "--dtls-protocols", "DTLSv1.2"}, out.stream, out.stream);
            assertEquals(0, rc, out.text());
        }
        String uac = out.text();
        // The ladder: the INVITE waits for the handshake, which runs message by message (the
        // server's Finished in epoch 1), then the INVITE and the responses travel as
        // application_data records of epoch 1.
        assertTrue(Pattern.compile("(?s)INVITE \\(SDP offer\\) -+>"
                + ".*dtls >>>   ClientHello message_seq 0, fragment 0\\+\\d+ of \\d+ \\(epoch 0\\)"
                + ".*dtls <<<   HelloVerifyRequest message_seq 0,"
                + ".*dtls >>>   ClientHello message_seq 1,"
                + ".*dtls <<<   ServerHello message_seq 1,"
                + ".*dtls <<<   ServerHelloDone message_seq 4,"
                + ".*dtls >>> record epoch 0 seq \\d+: change_cipher_spec, 14 bytes"
                + ".*dtls >>>   Finished message_seq 3, fragment 0\\+12 of 12 \\(epoch 1\\)"
                + ".*dtls <<<   Finished message_seq \\d+, fragment 0\\+12 of 12 \\(epoch 1\\)"
                + ".*dtls >>> record epoch 1 seq \\d+: application_data, \\d+ bytes, encrypted"
                + ".*dtls <<< record epoch 1 seq \\d+: application_data, \\d+ bytes, decrypted"
                + ".*<-+ 200 OK \\(INVITE\\)"
                + ".*ACK -+>.*dtls >>> record epoch 1 seq \\d+: application_data"
                + ".*BYE -+>.*<-+ 200 OK \\(BYE\\)").matcher(uac).find(), uac);
        assertTrue(uac.lines().noneMatch(l -> l.contains("%")), "no progress bar with --trace:\n" + uac);

        String uas = uasOut.text();
        assertTrue(Pattern.compile("(?s)uas: dtls <<<   ClientHello message_seq 0,"
                + ".*uas: dtls >>>   HelloVerifyRequest message_seq 0,"
                + ".*uas: dtls <<<   ClientHello message_seq 1,"
                + ".*uas: dtls >>>   ServerHello message_seq 1,"
                + ".*uas: dtls <<<   Finished message_seq 3, fragment 0\\+12 of 12 \\(epoch 1\\)"
                + ".*uas: dtls >>>   Finished message_seq \\d+, fragment 0\\+12 of 12 \\(epoch 1\\)"
                + ".*uas: dtls <<< record epoch 1 seq \\d+: application_data, \\d+ bytes, decrypted"
                + ".*uas: sip <<< INVITE sip:uas@127\\.0\\.0\\.1:\\d+;transport=dtls-udp from 127\\.0\\.0\\.1:\\d+ over DTLS-UDP"
                + ".*uas: sip >>> 180 Ringing \\(INVITE\\)\\s+uas: dtls >>> record epoch 1 seq \\d+: application_data"
                + ".*uas: sip >>> 200 OK \\(INVITE\\)"
                + ".*uas: sip <<< ACK "
                + ".*uas: sip <<< BYE .*uas: sip >>> 200 OK \\(BYE\\)").matcher(uas).find(), uas);
    }

    /**
     * At both samples' default the handshake is DTLS 1.3 (issue 14): the stateless cookie's
     * HelloRetryRequest (shown as the ServerHello it is on the wire, RFC 8446 4.1.3), the
     * server's flight in epoch 2, the client's Finished ACKed, SIP in epoch 3.
     */
    @Test
    void theDefaultDtls13HandshakeAppearsInBothTraces() throws Exception {
        Credentials creds = Credentials.of(null, null, "sample-uas", null, List.of());
        Captured uasOut = new Captured();
        Captured out = new Captured();
        try (Uas uas = Uas.start(creds, "127.0.0.1", Map.of(Transport.DTLS_UDP, 0), 0, false, uasOut.stream, null, true)) {
            String target = "sip:uas@127.0.0.1:" + uas.port(Transport.DTLS_UDP) + ";transport=dtls-udp";
            int rc = SampleUac.run(new String[] {"--target", target, "--fingerprint", creds.fingerprint(), "--trace",
                "--hold-ms", "0"}, out.stream, out.stream);
            assertEquals(0, rc, out.text());
        }
        String uac = out.text();
        assertTrue(Pattern.compile("(?s)INVITE \\(SDP offer\\) -+>"
                + ".*dtls >>>   ClientHello message_seq 0, fragment 0\\+\\d+ of \\d+ \\(epoch 0\\)"
                + ".*dtls <<<   ServerHello message_seq 0,"
                + ".*dtls >>>   ClientHello message_seq 1,"
                + ".*dtls <<<   ServerHello message_seq 1,"
                + ".*dtls <<<   EncryptedExtensions message_seq 2, fragment 0\\+\\d+ of \\d+ \\(epoch 2\\)"
                + ".*dtls <<<   Finished message_seq 5, fragment 0\\+32 of 32 \\(epoch 2\\)"
                + ".*dtls >>>   Finished message_seq 2, fragment 0\\+32 of 32 \\(epoch 2\\)"
                + ".*dtls >>> record epoch 3 seq \\d+: application_data, \\d+ bytes, encrypted"
                + ".*<-+ 200 OK \\(INVITE\\)"
                + ".*BYE -+>.*<-+ 200 OK \\(BYE\\)").matcher(uac).find(), uac);
        String uas = uasOut.text();
        assertTrue(Pattern.compile("(?s)uas: dtls <<<   ClientHello message_seq 0,"
                + ".*uas: dtls <<<   ClientHello message_seq 1,"
                + ".*uas: dtls >>>   ServerHello message_seq 1,"
                + ".*uas: dtls <<<   Finished message_seq 2, fragment 0\\+32 of 32 \\(epoch 2\\)"
                + ".*uas: dtls <<< record epoch 3 seq \\d+: application_data, \\d+ bytes, decrypted"
                + ".*uas: sip <<< INVITE sip:uas@127\\.0\\.0\\.1:\\d+;transport=dtls-udp from 127\\.0\\.0\\.1:\\d+ over DTLS-UDP"
                + ".*uas: sip <<< BYE .*uas: sip >>> 200 OK \\(BYE\\)").matcher(uas).find(), uas);
    }
}
