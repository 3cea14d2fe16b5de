package bench.flowable;

import java.util.List;
import java.util.Map;

import org.flowable.idm.api.Group;
import org.flowable.idm.api.IdmIdentityService;
import org.flowable.idm.api.Privilege;
import org.flowable.idm.api.User;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Creates the benchmark's users and groups in Flowable's IDM tables at start-up, as an administrator would
 * through the IDM API: BENCH_USERS is a JSON object from user id to group ids, BENCH_PASSWORD the password of
 * every user (a fresh random one per benchmark run). Every user gets the "rest-api" privilege. Existing users
 * (a reused database) get the new password; memberships are added where missing. Runs before the web
 * server accepts connections, so the first answered request finds every user in place.
 */
@Component
public class BenchUsers implements SmartInitializingSingleton {

    private final IdmIdentityService identityService;
    private final ObjectMapper objectMapper;
    private final String users;
    private final String password;

    public BenchUsers(IdmIdentityService identityService, ObjectMapper objectMapper,
            @Value("${bench.users:{}}") String users, @Value("${bench.password:}") String password) {
        this.identityService = identityService;
        this.objectMapper = objectMapper;
        this.users = users;
        this.password = password;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, List<String>> groupsByUser;
        try {
            groupsByUser = objectMapper.readValue(users, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("BENCH_USERS is not a JSON object of user id to group ids", e);
        }
        if (groupsByUser.isEmpty()) {
            return;
        }
        if (password.isBlank()) {
            throw new IllegalStateException("BENCH_PASSWORD is required with BENCH_USERS");
        }
        Privilege restApi = identityService.createPrivilegeQuery().privilegeName(SecurityConfiguration.REST_API_PRIVILEGE).singleResult();
        if (restApi == null) {
            restApi = identityService.createPrivilege(SecurityConfiguration.REST_API_PRIVILEGE);
        }
        for (Map.Entry<String, List<String>> entry : groupsByUser.entrySet()) {
            String userId = entry.getKey();
            User user = identityService.createUserQuery().userId(userId).singleResult();
            if (user == null) {
                user = identityService.newUser(userId);
                user.setPassword(password);
                identityService.saveUser(user);
                identityService.addUserPrivilegeMapping(restApi.getId(), userId);
            } else {
                user.setPassword(password);
                identityService.updateUserPassword(user);
            }
            List<String> current = identityService.createGroupQuery().groupMember(userId).list().stream().map(Group::getId).toList();
            for (String groupId : entry.getValue()) {
                if (identityService.createGroupQuery().groupId(groupId).count() == 0) {
                    Group group = identityService.newGroup(groupId);
                    group.setName(groupId);
                    group.setType("assignment");
                    identityService.saveGroup(group);
                }
                if (!current.contains(groupId)) {
                    identityService.createMembership(userId, groupId);
                }
            }
        }
    }
}
