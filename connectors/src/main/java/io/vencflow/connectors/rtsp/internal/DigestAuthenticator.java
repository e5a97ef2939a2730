package io.vencflow.connectors.rtsp.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Digest authentication with MD5 as RTSP uses it (RFC 2326 refers to RFC 2617; RFC 7616): the
 * server's challenge and check, and the client's answer.
 *
 * <p>Nonces are stateless: a timestamp signed with a per-server random key, valid for
 * {@link #NONCE_VALIDITY_MS}; an expired but genuine nonce gets {@code stale=true} so clients retry
 * at once. The challenge offers no {@code qop} (many RTSP clients only know RFC 2069 digests), and
 * answers with {@code qop=auth} are accepted too. Thread-safe.
 */
public final class DigestAuthenticator {
    /** How long a nonce is accepted. */
    public static final long NONCE_VALIDITY_MS = 10 * 60 * 1000;

    /** The outcome of checking a request's Authorization header. */
    public enum Result {
        OK, MISSING, INVALID, STALE
    }

    private final String realm;
    private final Map<String, String> users;
    private final byte[] nonceKey = new byte[32];

    public DigestAuthenticator(String realm, Map<String, String> users, SecureRandom random) {
        this.realm = realm;
        this.users = Map.copyOf(users);
        random.nextBytes(nonceKey);
    }

    /** The WWW-Authenticate header value of a 401 answer. */
    public String challenge(boolean stale) {
        return "Digest realm=\"" + realm + "\", nonce=\"" + newNonce(System.currentTimeMillis()) + "\", algorithm=MD5"
                + (stale ? ", stale=TRUE" : "");
    }

    /** Checks the Authorization header of a request with {@code method} and request URI {@code uri}. */
    public Result check(String method, String uri, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Result.MISSING;
        }
        String trimmed = authorization.trim();
        if (trimmed.length() < 7 || !trimmed.substring(0, 7).equalsIgnoreCase("digest ")) {
            return Result.INVALID;
        }
        Map<String, String> p = parseParams(trimmed.substring(7));
        if (p == null) {
            return Result.INVALID;
        }
        String username = p.get("username");
        String nonce = p.get("nonce");
        String response = p.get("response");
        String digestUri = p.get("uri");
        if (username == null || nonce == null || response == null || digestUri == null
                || !realm.equals(p.get("realm")) || !digestUri.equals(uri)) {
            return Result.INVALID;
        }
        String algorithm = p.get("algorithm");
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            return Result.INVALID;
        }
        String qop = p.get("qop");
        if (qop != null && (!qop.equalsIgnoreCase("auth") || p.get("nc") == null || p.get("cnonce") == null)) {
            return Result.INVALID;
        }
        long issued = nonceTime(nonce);
        if (issued < 0) {
            return Result.INVALID;
        }
        String password = users.get(username);
        // An unknown user is checked against a throwaway password, so timing does not tell users apart.
        String expected = expectedResponse(username, password == null ? "\u0000unknown" : password, method, digestUri,
                nonce, qop, p.get("nc"), p.get("cnonce"));
        boolean match = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (!match || password == null) {
            return Result.INVALID;
        }
        return System.currentTimeMillis() - issued > NONCE_VALIDITY_MS ? Result.STALE : Result.OK;
    }

    private String expectedResponse(String user, String password, String method, String uri, String nonce, String qop,
            String nc, String cnonce) {
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        return qop == null ? md5(ha1 + ":" + nonce + ":" + ha2)
                : md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop.toLowerCase(Locale.ROOT) + ":" + ha2);
    }

    private String newNonce(long millis) {
        String time = Long.toHexString(millis);
        return time + "-" + sign(time);
    }

    /** The issue time of a nonce this server made, or -1 when it did not make it. */
    private long nonceTime(String nonce) {
        int dash = nonce.indexOf('-');
        if (dash <= 0 || dash > 16) {
            return -1;
        }
        String time = nonce.substring(0, dash);
        byte[] expected = sign(time).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, nonce.substring(dash + 1).getBytes(StandardCharsets.US_ASCII))) {
            return -1;
        }
        try {
            return Long.parseLong(time, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(nonceKey, "HmacSHA256"));
            byte[] sig = mac.doFinal(text.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sig, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * The Authorization header a client sends for {@code method} and {@code uri}, answering the
     * WWW-Authenticate header {@code challenge} with MD5 (and {@code qop=auth} when offered).
     */
    public static String authorization(String challenge, String method, String uri, String user, String password,
            SecureRandom random) {
        byte[] c = new byte[8];
        random.nextBytes(c);
        return authorization(challenge, method, uri, user, password, HexFormat.of().formatHex(c));
    }

    static String authorization(String challenge, String method, String uri, String user, String password,
            String cnonce) {
        String trimmed = challenge == null ? "" : challenge.trim();
        if (trimmed.length() < 7 || !trimmed.substring(0, 7).equalsIgnoreCase("digest ")) {
            throw new IllegalArgumentException("challenge '" + challenge + "' is not a Digest challenge");
        }
        Map<String, String> p = parseParams(trimmed.substring(7));
        if (p == null || p.get("realm") == null || p.get("nonce") == null) {
            throw new IllegalArgumentException("Digest challenge '" + challenge + "' has no realm or nonce");
        }
        String algorithm = p.get("algorithm");
        if (algorithm != null && !algorithm.equalsIgnoreCase("MD5")) {
            throw new IllegalArgumentException("Digest algorithm " + algorithm + " is not supported; expected MD5");
        }
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        StringBuilder out = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append('"');
        String qop = p.get("qop");
        boolean auth = qop != null && Arrays.stream(qop.split(",")).anyMatch(q -> q.trim().equalsIgnoreCase("auth"));
        if (auth) {
            String nc = "00000001";
            out.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"')
                    .append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2))
                    .append('"');
        } else {
            out.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (p.get("opaque") != null) {
            out.append(", opaque=\"").append(p.get("opaque")).append('"');
        }
        return out.append(", algorithm=MD5").toString();
    }

    /** Comma-separated {@code name=value} / {@code name="quoted"} pairs; null when malformed. */
    static Map<String, String> parseParams(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == '\t')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                return null;
            }
            String name = s.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || out.containsKey(name)) {
                return null;
            }
            i = eq + 1;
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            String value;
            if (i < n && s.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i++;
                while (i < n && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    v.append(s.charAt(i++));
                }
                if (i >= n) {
                    return null; // unterminated quote
                }
                i++;
                value = v.toString();
            } else {
                int end = s.indexOf(',', i);
                if (end < 0) {
                    end = n;
                }
                value = s.substring(i, end).trim();
                i = end;
            }
            out.put(name, value);
            if (out.size() > 32) {
                return null;
            }
        }
        return out;
    }

    static String md5(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is not available", e);
        }
    }
}
