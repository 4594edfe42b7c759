# Boots one test host. Runs as `nsenter --net=<netns> unshare --uts --mount
# --propagation private sh boot-host.sh <host dir>`, so the hostname, /run and the mounts
# below stay private to this host while the root filesystem is shared, as on a VM.
set -eu
dir=$1
harness=$(dirname "$0")
. "$dir/host.env"

hostname "$HOST_NAME"
# A private /run gives the host its own /run/docker.sock, /run/docker, /run/containerd
# and /run/sshd, and no /run/systemd, so nothing on it mistakes itself for the machine.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/sshd /run/harness
cp "$dir/authorized_keys" /run/harness/authorized_keys
chmod 644 /run/harness/authorized_keys
mount --bind "$dir/hosts" /etc/hosts
ip link set lo up

sh "$harness/start-dockerd.sh" "$dir"
exec /usr/sbin/sshd -D -e -f "$dir/sshd_config"
