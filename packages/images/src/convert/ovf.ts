/** What goes into an exported OVF descriptor. */
export interface OvfDescriptorInput {
  name: string;
  diskFile: string;
  diskFileSize: number;
  capacityBytes: number;
  populatedSize?: number;
  cpus: number;
  memoryMiB: number;
  /**
   * The guest OS as CIM_OperatingSystem numbers it (what VirtualBox reads) and as VMware names
   * it. Default: 101 and other26xLinux64Guest, "Linux 2.6.x 64-Bit", which fits any x86_64 Linux.
   */
  os?: { cimId: number; vmwareType: string; description: string };
}

const DEFAULT_OS = { cimId: 101, vmwareType: "other26xLinux64Guest", description: "Linux 2.6.x 64-Bit" };

function xml(text: string | number): string {
  return String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The OVF "format" URI for streamOptimized VMDK, which VMware and VirtualBox both expect. */
export const STREAM_OPTIMIZED_URI =
  "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized";

/** Builds an OVF 1.0 envelope with one streamOptimized disk, a SCSI controller, CPUs, memory and a NIC. */
export function buildOvfDescriptor(input: OvfDescriptorInput): string {
  const os = input.os ?? DEFAULT_OS;
  const item = (fields: Record<string, string | number>) =>
    `      <Item>\n${Object.entries(fields)
      .map(([k, v]) => `        <rasd:${k}>${xml(v)}</rasd:${k}>`)
      .join("\n")}\n      </Item>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:vmw="http://www.vmware.com/schema/ovf" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
    <File ovf:href="${xml(input.diskFile)}" ovf:id="file1" ovf:size="${input.diskFileSize}"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="${input.capacityBytes}" ovf:capacityAllocationUnits="byte" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="${STREAM_OPTIMIZED_URI}"${input.populatedSize === undefined ? "" : ` ovf:populatedSize="${input.populatedSize}"`}/>
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
    <Network ovf:name="nat">
      <Description>The nat network</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="${xml(input.name)}">
    <Info>A virtual machine exported by Layerboom</Info>
    <Name>${xml(input.name)}</Name>
    <OperatingSystemSection ovf:id="${os.cimId}" vmw:osType="${xml(os.vmwareType)}">
      <Info>The kind of installed guest operating system</Info>
      <Description>${xml(os.description)}</Description>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>${xml(input.name)}</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>vmx-10</vssd:VirtualSystemType>
      </System>
${item({ AllocationUnits: "hertz * 10^6", Description: "Number of Virtual CPUs", ElementName: `${input.cpus} virtual CPU(s)`, InstanceID: 1, ResourceType: 3, VirtualQuantity: input.cpus })}
${item({ AllocationUnits: "byte * 2^20", Description: "Memory Size", ElementName: `${input.memoryMiB}MB of memory`, InstanceID: 2, ResourceType: 4, VirtualQuantity: input.memoryMiB })}
${item({ Address: 0, Description: "SCSI Controller", ElementName: "SCSI Controller 0", InstanceID: 3, ResourceSubType: "lsilogic", ResourceType: 6 })}
${item({ AddressOnParent: 0, ElementName: "Hard Disk 1", HostResource: "ovf:/disk/vmdisk1", InstanceID: 4, Parent: 3, ResourceType: 17 })}
${item({ AutomaticAllocation: "true", Connection: "nat", Description: "E1000 ethernet adapter", ElementName: "Ethernet 1", InstanceID: 5, ResourceSubType: "E1000", ResourceType: 10 })}
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
`;
}
