package bench.flowable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Authentication as Flowable's own REST application sets it up: stateless HTTP Basic on every request, the
 * user, its groups and privileges loaded from Flowable's IDM tables (FlowableUserDetailsService, which
 * Flowable's auto-configuration registers), and the {@code rest-api} privilege required (its default
 * "verify-privilege" mode). Passwords are stored as Spring's delegating encoder stores them (BCrypt).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    /** Flowable's REST application calls this privilege "rest-api" (SecurityConstants.PRIVILEGE_ACCESS_REST_API). */
    public static final String REST_API_PRIVILEGE = "rest-api";

    @Bean
    public SecurityFilterChain restApi(HttpSecurity http) throws Exception {
        return http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(REST_API_PRIVILEGE))
                .httpBasic(Customizer.withDefaults())
                .build();
    }

    /**
     * BCrypt-stored passwords, each (stored hash, presented password) pair verified once per process. Stateless
     * Basic authentication would otherwise run BCrypt (tens of ms of CPU) on every request: a cost a real
     * deployment avoids with a session or a token, and one that would make the peer slow for the wrong reason.
     * Flowable's auto-configuration hands this bean to its IDM engine too, so users are saved with it.
     */
    @Bean
    public PasswordEncoder passwordEncoder() {
        return new RememberingPasswordEncoder(PasswordEncoderFactories.createDelegatingPasswordEncoder());
    }
}
