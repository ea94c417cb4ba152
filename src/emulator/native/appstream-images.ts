/**
 * AppStream's public base images, as DescribeImages lists them in every region: the images a
 * fleet or an image builder starts from. Fixed facts (names, platforms, release dates), not
 * generated, so every run and every region sees the same catalogue.
 */

export interface PublicImage {
  Name: string;
  DisplayName: string;
  Platform: string;
  Description: string;
  ImageBuilderSupported: boolean;
  /** Epoch milliseconds. */
  released: number;
  AppstreamAgentVersion: string;
  SupportedInstanceFamilies: string[];
}

const STANDARD_FAMILIES = ['GENERAL_PURPOSE', 'MEMORY_OPTIMIZED', 'COMPUTE_OPTIMIZED'];

export const PUBLIC_IMAGES: readonly PublicImage[] = [
  {
    Name: 'AppStream-WinServer2019-06-12-2024',
    DisplayName: 'AppStream-WinServer2019-06-12-2024',
    Platform: 'WINDOWS_SERVER_2019',
    Description: 'Amazon AppStream 2.0 image on Windows Server 2019, AppStream 2.0 agent 06-12-2024',
    ImageBuilderSupported: true,
    released: Date.UTC(2024, 5, 12),
    AppstreamAgentVersion: '1.1.1460.0',
    SupportedInstanceFamilies: STANDARD_FAMILIES,
  },
  {
    Name: 'AppStream-WinServer2022-06-12-2024',
    DisplayName: 'AppStream-WinServer2022-06-12-2024',
    Platform: 'WINDOWS_SERVER_2022',
    Description: 'Amazon AppStream 2.0 image on Windows Server 2022, AppStream 2.0 agent 06-12-2024',
    ImageBuilderSupported: true,
    released: Date.UTC(2024, 5, 12),
    AppstreamAgentVersion: '1.1.1460.0',
    SupportedInstanceFamilies: STANDARD_FAMILIES,
  },
  {
    Name: 'AppStream-WinServer2016-06-12-2024',
    DisplayName: 'AppStream-WinServer2016-06-12-2024',
    Platform: 'WINDOWS_SERVER_2016',
    Description: 'Amazon AppStream 2.0 image on Windows Server 2016, AppStream 2.0 agent 06-12-2024',
    ImageBuilderSupported: true,
    released: Date.UTC(2024, 5, 12),
    AppstreamAgentVersion: '1.1.1460.0',
    SupportedInstanceFamilies: STANDARD_FAMILIES,
  },
  {
    Name: 'AppStream-Graphics-G4dn-WinServer2019-06-12-2024',
    DisplayName: 'AppStream-Graphics-G4dn-WinServer2019-06-12-2024',
    Platform: 'WINDOWS_SERVER_2019',
    Description: 'Amazon AppStream 2.0 Graphics G4dn image on Windows Server 2019, AppStream 2.0 agent 06-12-2024',
    ImageBuilderSupported: true,
    released: Date.UTC(2024, 5, 12),
    AppstreamAgentVersion: '1.1.1460.0',
    SupportedInstanceFamilies: ['GRAPHICS_G4DN'],
  },
  {
    Name: 'AppStream-AmazonLinux2-06-17-2024',
    DisplayName: 'AppStream-AmazonLinux2-06-17-2024',
    Platform: 'AMAZON_LINUX2',
    Description: 'Amazon AppStream 2.0 image on Amazon Linux 2, AppStream 2.0 agent 06-17-2024',
    ImageBuilderSupported: true,
    released: Date.UTC(2024, 5, 17),
    AppstreamAgentVersion: '1.0.1282.0',
    SupportedInstanceFamilies: ['GENERAL_PURPOSE'],
  },
  {
    Name: 'AppStream-RHEL8-06-17-2024',
    DisplayName: 'AppStream-RHEL8-06-17-2024',
    Platform: 'RHEL8',
    Description: 'Amazon AppStream 2.0 image on Red Hat Enterprise Linux 8, AppStream 2.0 agent 06-17-2024',
    ImageBuilderSupported: true,
    released: Date.UTC(2024, 5, 17),
    AppstreamAgentVersion: '1.0.1282.0',
    SupportedInstanceFamilies: ['GENERAL_PURPOSE'],
  },
  {
    // The sample image streams its demo applications; image builders cannot start from it.
    Name: 'Amazon-AppStream2-Sample-Image-06-17-2024',
    DisplayName: 'Amazon AppStream 2.0 Sample Image',
    Platform: 'WINDOWS_SERVER_2019',
    Description: 'Sample applications for trying Amazon AppStream 2.0',
    ImageBuilderSupported: false,
    released: Date.UTC(2024, 5, 17),
    AppstreamAgentVersion: '1.1.1460.0',
    SupportedInstanceFamilies: STANDARD_FAMILIES,
  },
];

/** A public image's ARN: AppStream's own, with no account. */
export function publicImageArn(region: string, name: string): string {
  return `arn:aws:appstream:${region}::image/${name}`;
}
