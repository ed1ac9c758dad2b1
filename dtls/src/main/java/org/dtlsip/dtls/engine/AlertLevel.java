package org.dtlsip.dtls.engine;

/** AlertLevel (RFC 5246 7.2). */
public enum AlertLevel {
    WARNING(1),
    FATAL(2);

    public final int code;

    AlertLevel(int code) {
        this.code = code;
    }

    public static AlertLevel of(int code) {
        return code == 1 ? WARNING : code == 2 ? FATAL : null;
    }
}
