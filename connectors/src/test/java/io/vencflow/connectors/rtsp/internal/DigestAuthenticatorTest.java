package io.vencflow.connectors.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {
    private final SecureRandom random = new SecureRandom();
    private final DigestAuthenticator server = new DigestAuthenticator("vencflow", Map.of("alice", "s3cret"), random);

    @Test
    void theClientAnswerMatchesTheWorkedExampleOfRfc2617() {
        // RFC 2617 3.5: Mufasa / "Circle Of Life", qop=auth, nc=00000001, cnonce 0a4f113b.
        String challenge = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        String answer = DigestAuthenticator.authorization(challenge, "GET", "/dir/index.html", "Mufasa", "Circle Of Life",
                "0a4f113b");
        assertTrue(answer.contains("response=\"6629fae49393a05397450978507c4ef1\""), answer);
        assertTrue(answer.contains("opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), answer);
        assertTrue(answer.contains("qop=auth, nc=00000001, cnonce=\"0a4f113b\""), answer);
    }

    @Test
    void aRequestAnsweringTheServersChallengePassesWithAndWithoutQop() {
        String challenge = server.challenge(false);
        assertTrue(challenge.matches("Digest realm=\"vencflow\", nonce=\"[0-9a-f]+-[0-9a-f]{32}\", algorithm=MD5"), challenge);
        String uri = "rtsp://127.0.0.1:8554/cam";
        String plain = DigestAuthenticator.authorization(challenge, "DESCRIBE", uri, "alice", "s3cret", random);
        assertEquals(DigestAuthenticator.Result.OK, server.check("DESCRIBE", uri, plain));
        String withQop = DigestAuthenticator.authorization(challenge.replace("algorithm=MD5", "qop=\"auth\""), "DESCRIBE",
                uri, "alice", "s3cret", random);
        assertEquals(DigestAuthenticator.Result.OK, server.check("DESCRIBE", uri, withQop));
    }

    @Test
    void wrongPasswordUnknownUserOtherMethodOtherUriForgedNonceAndGarbageAreRefused() {
        String challenge = server.challenge(false);
        String uri = "rtsp://127.0.0.1:8554/cam";
        assertEquals(DigestAuthenticator.Result.MISSING, server.check("DESCRIBE", uri, null));
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri,
                DigestAuthenticator.authorization(challenge, "DESCRIBE", uri, "alice", "wrong", random)));
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri,
                DigestAuthenticator.authorization(challenge, "DESCRIBE", uri, "mallory", "s3cret", random)));
        String valid = DigestAuthenticator.authorization(challenge, "DESCRIBE", uri, "alice", "s3cret", random);
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("PLAY", uri, valid), "digest of another method");
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri + "2", valid), "digest of another URI");
        String forged = challenge.replaceAll("nonce=\"([0-9a-f]+)-", "nonce=\"1$1-");
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri,
                DigestAuthenticator.authorization(forged, "DESCRIBE", uri, "alice", "s3cret", random)), "a nonce we did not sign");
        DigestAuthenticator otherServer = new DigestAuthenticator("vencflow", Map.of("alice", "s3cret"), random);
        assertEquals(DigestAuthenticator.Result.INVALID, otherServer.check("DESCRIBE", uri, valid),
                "a nonce of another server instance");
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri, "Basic YWxpY2U6czNjcmV0"));
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri, "Digest username=\"alice"));
        assertEquals(DigestAuthenticator.Result.INVALID, server.check("DESCRIBE", uri, "Digest ,,,=,"));
    }

    @Test
    void aChallengeThatIsNotDigestMd5IsRefusedByTheClientSide() {
        assertThrows(IllegalArgumentException.class, () -> DigestAuthenticator.authorization("Basic realm=\"x\"", "OPTIONS",
                "*", "a", "b", random));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DigestAuthenticator.authorization(
                "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-256", "OPTIONS", "*", "a", "b", random));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }
}
