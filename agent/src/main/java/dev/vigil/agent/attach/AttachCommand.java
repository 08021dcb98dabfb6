package dev.vigil.agent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.vigil.agent.control.VigilControlMBean;
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
 * Exit codes: 0 done; 1 the target could not be attached, the agent failed to start, or the
 * target has no Vigil; 2 wrong usage.
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
            err.println("vigil: cannot attach to pid " + pid + ": " + e.getMessage()
                    + " (the target must be a HotSpot JVM run by the same user, without -XX:+DisableAttachMechanism)");
            return 1;
        }
    }

    private static int attach(String pid, String options, PrintStream out, PrintStream err)
            throws AttachNotSupportedException, IOException {
        Path jar = agentJar();
        VirtualMachine vm = VirtualMachine.attach(pid);
        try {
            vm.loadAgent(jar.toString(), options);
        } catch (AgentInitializationException e) {
            err.println("vigil: Vigil failed to start in pid " + pid + " (a bad option?); its stderr says why");
            return 1;
        } catch (AgentLoadException e) {
            err.println("vigil: pid " + pid + " could not load " + jar + ": " + e.getMessage());
            return 1;
        } finally {
            vm.detach();
        }
        out.println("vigil: attached to pid " + pid + "; tracking starts now");
        return 0;
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
            out.println("vigil: pid " + pid + " wrote " + file);
            return 0;
        } catch (InstanceNotFoundException e) {
            err.println("vigil: pid " + pid + " does not run Vigil (start it: java -jar vigil-agent.jar attach " + pid + ")");
            return 1;
        } catch (javax.management.JMException e) {
            err.println("vigil: pid " + pid + " could not write its report: " + e.getMessage());
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
