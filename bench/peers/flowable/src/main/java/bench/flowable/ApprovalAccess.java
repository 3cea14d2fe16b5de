package bench.flowable;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

import org.flowable.common.engine.api.FlowableForbiddenException;
import org.flowable.engine.TaskService;
import org.flowable.idm.api.Group;
import org.flowable.rest.service.api.BpmnRestApiInterceptor;
import org.flowable.rest.service.api.engine.variable.RestVariable;
import org.flowable.rest.service.api.runtime.process.ProcessInstanceCreateRequest;
import org.flowable.rest.service.api.runtime.task.TaskQueryRequest;
import org.flowable.spring.security.FlowableUserDetails;
import org.flowable.task.api.Task;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who may do what through the REST API. Out of the box Flowable's REST API lets any authenticated user start
 * any process and complete any task; a deployment for approvers adds a BpmnRestApiInterceptor, which the
 * REST resources consult before each operation. This one checks the three the benchmark's users call, as the
 * service under test checks its own: starting a promotion needs the clerk group of the case's community, a
 * task list must be the caller's own (candidate or assignee), and completing a task needs the caller to be
 * its assignee or in one of its candidate groups. The interface has some ninety other operations, which
 * this peer leaves open as Flowable does without an interceptor; a proxy keeps them out of the source.
 */
@Configuration(proxyBeanMethods = false)
public class ApprovalAccess {

    @Bean
    public BpmnRestApiInterceptor restApiInterceptor(TaskService taskService) {
        InvocationHandler checks = new Checks(taskService);
        return (BpmnRestApiInterceptor) Proxy.newProxyInstance(
                BpmnRestApiInterceptor.class.getClassLoader(), new Class<?>[] { BpmnRestApiInterceptor.class }, checks);
    }

    private record Checks(TaskService taskService) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "createProcessInstance" -> mayStart((ProcessInstanceCreateRequest) args[1]);
                case "accessTaskInfoWithQuery" -> mayList((TaskQueryRequest) args[1]);
                case "executeTaskAction" -> mayAct((Task) args[0]);
                // The two operations that answer something pass the variables through unchanged.
                case "accessTaskVariables", "accessExecutionVariables" -> {
                    return args[1];
                }
                case "toString" -> {
                    return "ApprovalAccess";
                }
                case "hashCode" -> {
                    return System.identityHashCode(proxy);
                }
                case "equals" -> {
                    return proxy == args[0];
                }
                default -> {
                    // open, as without an interceptor
                }
            }
            return null;
        }

        private void mayStart(ProcessInstanceCreateRequest request) {
            String community = variable(request.getVariables(), "community");
            if (community == null || !groupIds().contains("clerks-" + community)) {
                throw new FlowableForbiddenException(userId() + " is not a clerk of community " + community);
            }
        }

        private void mayList(TaskQueryRequest request) {
            String me = userId();
            if (!me.equals(request.getCandidateUser()) && !me.equals(request.getAssignee())) {
                throw new FlowableForbiddenException("a task list must be filtered by candidateUser or assignee " + me);
            }
        }

        private void mayAct(Task task) {
            long mine = taskService.createTaskQuery().taskId(task.getId()).taskCandidateOrAssigned(userId()).count();
            if (mine == 0) {
                throw new FlowableForbiddenException(userId() + " is neither the assignee nor a candidate of task " + task.getId());
            }
        }

        private static String variable(List<RestVariable> variables, String name) {
            if (variables == null) {
                return null;
            }
            for (RestVariable v : variables) {
                if (name.equals(v.getName()) && v.getValue() != null) {
                    return v.getValue().toString();
                }
            }
            return null;
        }

        private static FlowableUserDetails user() {
            Authentication auth = SecurityContextHolder.getContext().getAuthentication();
            if (auth == null || !(auth.getPrincipal() instanceof FlowableUserDetails user)) {
                throw new FlowableForbiddenException("not authenticated as a Flowable IDM user");
            }
            return user;
        }

        private static String userId() {
            return user().getUsername();
        }

        private static List<String> groupIds() {
            return user().getGroups().stream().map(Group::getId).toList();
        }
    }
}
