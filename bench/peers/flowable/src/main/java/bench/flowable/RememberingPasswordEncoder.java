package bench.flowable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A password encoder that remembers the (stored hash, SHA-256 of the presented password) pairs it has
 * verified, so a user who authenticates on every request pays for the slow hash once. Only successful
 * checks are remembered (a wrong password is hashed the slow way each time), and a changed password has a
 * new stored hash, so it does not match a remembered pair.
 */
final class RememberingPasswordEncoder implements PasswordEncoder {

    /** Far above the benchmark's users; a bound so the set cannot grow without limit. */
    private static final int MAX_REMEMBERED = 10_000;

    private final PasswordEncoder delegate;
    private final Set<String> verified = ConcurrentHashMap.newKeySet();

    RememberingPasswordEncoder(PasswordEncoder delegate) {
        this.delegate = delegate;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        return delegate.encode(rawPassword);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        if (rawPassword == null || encodedPassword == null) {
            return delegate.matches(rawPassword, encodedPassword);
        }
        String key = encodedPassword + '\n' + sha256(rawPassword);
        if (verified.contains(key)) {
            return true;
        }
        boolean matches = delegate.matches(rawPassword, encodedPassword);
        if (matches) {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.add(key);
        }
        return matches;
    }

    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        return delegate.upgradeEncoding(encodedPassword);
    }

    private static String sha256(CharSequence raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
