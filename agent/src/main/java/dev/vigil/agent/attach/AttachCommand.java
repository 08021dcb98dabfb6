package dev.vigil.agent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.vigil.agent.control.VigilControlMBean;
import dev.vigil.report.text.Terminal;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code attach <pid> [options]} and {@code dump <pid>}, run as {@code java -jar vigil-agent.jar}.
 *
 * <ul>
 *   <li>{@code attach} loads this jar into the running JVM with the Attach API; {@code agentmain}
 *       installs Vigil exactly as {@code -javaagent} would, retransforming the classes already
 *       loaded. Threads alive at that moment are {@code pre-existing}, never findings.</li>
 *   <li>{@code dump} asks a JVM that runs Vigil to write its report now, through the MBean
 *       {@code dev.vigil:type=Vigil}: it starts the target's local JMX agent
 *       ({@code VirtualMachine.startLocalManagementAgent}, local connections only, the same one
 *       {@code jcmd ManagementAgent.start_local} starts) and calls {@code writeReport}.</li>
 * </ul>
 * <p>{@code attach} reports what the target did ({@link AttachReply}): Vigil started (exit 0, and
 * where it reports); a bad option or a failed start (exit 1, the line the target printed on its
 * stderr, and the target runs on without Vigil); Vigil was already running (exit 1: nothing
 * changed, the options of this attach are not applied; the line names how it was loaded and where
 * it reports).
 *
 * <p>Exit codes: 0 done; 1 the target could not be attached, the agent did not start, Vigil was
 * already running there, or ({@code dump}) the target has no Vigil; 2 wrong usage.
 */
public final class AttachCommand {

    public static final List<String> COMMANDS = List.of("attach", "dump");

    private AttachCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3 || !COMMANDS.contains(args[0])
                || ("dump".equals(args[0]) && args.length != 2) || !args[1].matches("\\d+")) {
            err.println("usage: attach <pid> [key=value,...]");
            err.println("       dump <pid>");
            return 2;
        }
        String pid = args[1];
        try {
            return "attach".equals(args[0])
                    ? attach(pid, args.length == 3 ? args[2] : "", out, err)
                    : dump(pid, out, err);
        } catch (AttachNotSupportedException | IOException e) {
            err.println("vigil: cannot attach to pid " + pid + ": " + Terminal.safe(e.getMessage())
                    + " (the target must be a HotSpot JVM run by the same user, without -XX:+DisableAttachMechanism)");
            return 1;
        }
    }

    private static int attach(String pid, String options, PrintStream out, PrintStream err)
            throws AttachNotSupportedException, IOException {
        Path jar = agentJar();
        String id = java.util.UUID.randomUUID().toString();
        String[] reply;
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            try {
                vm.loadAgent(jar.toString(), AttachReply.arguments(id, options));
            } catch (AgentInitializationException e) {
                err.println("vigil: Vigil failed to start in pid " + pid + "; its stderr says why");
                return 1;
            } catch (AgentLoadException e) {
                err.println("vigil: pid " + pid + " could not load " + jar + ": " + Terminal.safe(e.getMessage()));
                return 1;
            }
            reply = AttachReply.read(vm.getAgentProperties(), vm.getSystemProperties(), id);
        } finally {
            vm.detach();
        }
        if (reply == null) {
            err.println("vigil: pid " + pid + " loaded the agent but gave no answer (a Vigil of another version already"
                    + " running there?); its stderr says more");
            return 1;
        }
        String text = Terminal.safe(reply[1]);
        switch (reply[0]) {
            case AttachReply.OK:
                out.println("vigil: attached to pid " + pid + "; tracking starts now; reports in " + text);
                return 0;
            case AttachReply.ALREADY:
                err.println("vigil: pid " + pid + ": " + text);
                return 1;
            default:
                err.println("vigil: pid " + pid + " runs on without Vigil: "
                        + (text.startsWith("vigil: ") ? text.substring("vigil: ".length()) : text));
                return 1;
        }
    }

    private static int dump(String pid, PrintStream out, PrintStream err) throws AttachNotSupportedException, IOException {
        VirtualMachine vm = VirtualMachine.attach(pid);
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        try (JMXConnector c = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = c.getMBeanServerConnection();
            String file = (String) server.invoke(new ObjectName(VigilControlMBean.OBJECT_NAME), "writeReport",
                    new Object[0], new String[0]);
            out.println("vigil: pid " + pid + " wrote " + Terminal.safe(file));
            return 0;
        } catch (InstanceNotFoundException e) {
            err.println("vigil: pid " + pid + " does not run Vigil (start it: java -jar vigil-agent.jar attach " + pid + ")");
            return 1;
        } catch (javax.management.JMException e) {
            err.println("vigil: pid " + pid + " could not write its report: " + Terminal.safe(e.getMessage()));
            return 1;
        } catch (javax.management.JMRuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            err.println("vigil: pid " + pid + " could not write its report: "
                    + Terminal.safe(cause.getMessage() == null ? cause.toString() : cause.getMessage()));
            return 1;
        }
    }

    private static Path agentJar() throws IOException {
        try {
            return Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate the agent jar: " + e);
        }
    }
}
